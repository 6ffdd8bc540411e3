//! Lowering: the one module that reads pest's parse tree. It turns `Pairs` into the AST.
//!
//! The grammar guarantees the shape of every pair, so a surprise here is a bug in qc, never in
//! the user's file; it is reported as an internal error rather than a panic.

use pest::iterators::{Pair, Pairs};

use super::ast::*;
use super::{QParser, Rule, SyntaxError};
use crate::span::Span;

type Result<T> = std::result::Result<T, SyntaxError>;

/// Lowers pest pairs of one file whose text starts at `base` in the source map.
pub(super) struct Lowering {
    pub(super) base: usize,
}

impl Lowering {
    /// Lowers the pairs of a successful `file` parse.
    pub(super) fn file(&self, mut pairs: Pairs<'_, Rule>) -> Result<File> {
        let file = next(&mut pairs, "file")?;
        let mut declarations = Vec::new();
        for pair in file.into_inner() {
            let declaration = match pair.as_rule() {
                Rule::import | Rule::from_import => Declaration::Import(self.import(pair)?),
                Rule::block => Declaration::Block(self.block(pair)?),
                Rule::rows_decl => {
                    let span = self.span(&pair);
                    let mut inner = pair.into_inner();
                    let id = self.ident(next(&mut inner, "rows name")?);
                    let rows = self.row_list(next(&mut inner, "rows")?)?;
                    Declaration::Rows(RowsDecl { id, rows, span })
                }
                Rule::translation => {
                    let start = self.span(&pair).start;
                    let mut inner = pair.into_inner();
                    let language = self.ident(next(&mut inner, "language")?);
                    let path = self.text(next(&mut inner, "translation file")?)?;
                    let span = Span::new(start, path.span.end);
                    Declaration::Translation(TranslationDecl {
                        language,
                        path,
                        span,
                    })
                }
                Rule::instrument => Declaration::Instrument(self.header(pair)?),
                Rule::scale => Declaration::Scale(self.scale(pair)?),
                Rule::special => {
                    let span = self.span(&pair);
                    let mut inner = pair.into_inner();
                    Declaration::Special(SpecialDecl {
                        id: self.ident(next(&mut inner, "special answer")?),
                        label: self.text(next(&mut inner, "special answer label")?)?,
                        span,
                    })
                }
                Rule::document => Declaration::Document(self.document(pair)?),
                Rule::introduction => Declaration::Introduction(self.introduction(pair)?),
                Rule::report => {
                    let span = self.span(&pair);
                    let headings = pair
                        .into_inner()
                        .map(|heading| {
                            let mut parts = heading.into_inner();
                            let id = self.ident(next(&mut parts, "heading id")?);
                            Ok((id, self.text(next(&mut parts, "heading title")?)?))
                        })
                        .collect::<Result<_>>()?;
                    Declaration::Report(ReportDecl { headings, span })
                }
                Rule::test => Declaration::Test(self.test(pair)?),
                Rule::section | Rule::respondent => Declaration::Section(self.section(pair)?),
                Rule::EOI => break,
                _ => return Err(self.unexpected(&pair)),
            };
            declarations.push(declaration);
        }
        Ok(File { declarations })
    }

    fn import(&self, pair: Pair<'_, Rule>) -> Result<Import> {
        let span = self.span(&pair);
        let selective = pair.as_rule() == Rule::from_import;
        let mut inner = pair.into_inner();
        let path = self.text(next(&mut inner, "imported file")?)?;
        let names: Vec<Ident> = inner.map(|pair| self.ident(pair)).collect();
        let names = if selective {
            ImportNames::Selected(names)
        } else {
            let alias = names.into_iter().next();
            ImportNames::Alias(alias.ok_or_else(|| missing("import alias", span))?)
        };
        Ok(Import { path, names, span })
    }

    fn block(&self, pair: Pair<'_, Rule>) -> Result<BlockDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let id = self.ident(next(&mut inner, "block id")?);
        let mut parameters = Vec::new();
        let mut members = Vec::new();
        for part in inner {
            if part.as_rule() == Rule::parameter {
                let mut parts = part.into_inner();
                let id = self.ident(next(&mut parts, "parameter name")?);
                let kind = next(&mut parts, "parameter kind")?;
                let kind = match kind.as_str() {
                    "item" => ParameterKind::Item,
                    "text" => ParameterKind::Text,
                    "rows" => ParameterKind::Rows,
                    _ => return Err(self.unexpected(&kind)),
                };
                parameters.push(Parameter { id, kind });
            } else {
                members.push(self.section_member(part)?);
            }
        }
        Ok(BlockDecl {
            id,
            parameters,
            members,
            span,
        })
    }

    fn use_block(&self, pair: Pair<'_, Rule>) -> Result<UseBlock> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let block = self.ident(next(&mut inner, "block name")?);
        let arguments = inner
            .map(|argument| {
                let mut parts = argument.into_inner();
                let name = self.ident(next(&mut parts, "argument name")?);
                let value = next(&mut parts, "argument value")?;
                let value = match value.as_rule() {
                    Rule::string => ArgumentValue::Text(self.text(value)?),
                    Rule::path => ArgumentValue::Name(self.ident(value)),
                    Rule::row_list => {
                        let span = self.span(&value);
                        ArgumentValue::Rows(self.row_list(value)?, span)
                    }
                    _ => return Err(self.unexpected(&value)),
                };
                Ok(Argument { name, value })
            })
            .collect::<Result<_>>()?;
        Ok(UseBlock {
            block,
            arguments,
            span,
        })
    }

    fn test(&self, pair: Pair<'_, Rule>) -> Result<TestDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.text(next(&mut inner, "test name")?)?;
        let mut given = Vec::new();
        let mut expectations = Vec::new();
        for part in inner {
            match part.as_rule() {
                Rule::given => {
                    for answer in part.into_inner() {
                        let span = self.span(&answer);
                        let mut parts = answer.into_inner();
                        let target = self.ident(next(&mut parts, "answered item")?);
                        let value = self.test_value(next(&mut parts, "answer")?)?;
                        given.push(GivenAnswer {
                            target,
                            value,
                            span,
                        });
                    }
                }
                Rule::expectation => expectations.push(self.expectation(part)?),
                _ => return Err(self.unexpected(&part)),
            }
        }
        Ok(TestDecl {
            name,
            given,
            expectations,
            span,
        })
    }

    fn test_value(&self, pair: Pair<'_, Rule>) -> Result<TestValue> {
        Ok(match pair.as_rule() {
            Rule::date => TestValue::Date(pair.as_str().to_owned()),
            Rule::number => TestValue::Number(self.parse_number(&pair)?),
            Rule::string => TestValue::Text(self.text(pair)?.value),
            Rule::ident => TestValue::Code(self.ident(pair)),
            Rule::code_list => TestValue::Codes(pair.into_inner().map(|p| self.ident(p)).collect()),
            Rule::test_records => TestValue::Records(
                pair.into_inner()
                    .map(|record| {
                        record
                            .into_inner()
                            .map(|field| {
                                let mut parts = field.into_inner();
                                let id = self.ident(next(&mut parts, "field")?);
                                let value = self.test_value(next(&mut parts, "field's value")?)?;
                                Ok((id, value))
                            })
                            .collect::<Result<Vec<_>>>()
                    })
                    .collect::<Result<Vec<_>>>()?,
            ),
            Rule::test_amount => {
                let mut parts = pair.into_inner();
                let value = self.parse_number(&next(&mut parts, "amount")?)?;
                let currency = next(&mut parts, "currency")?.as_str().to_owned();
                TestValue::Amount { value, currency }
            }
            _ => return Err(self.unexpected(&pair)),
        })
    }

    fn expectation(&self, pair: Pair<'_, Rule>) -> Result<Expectation> {
        // The span of `expect …` without the blanks after it.
        let whole = self.span(&pair);
        let span = Span::new(whole.start, whole.start + pair.as_str().trim_end().len());
        let part = only(pair, "expectation")?;
        let kind = match part.as_rule() {
            Rule::expect_valid => ExpectationKind::Valid { complete: false },
            Rule::expect_complete => ExpectationKind::Valid { complete: true },
            Rule::expect_problem => {
                let mut parts = part.into_inner();
                let warning = match next(&mut parts, "problem kind")?.as_str() {
                    "warning" => Some(true),
                    "error" => Some(false),
                    _ => None,
                };
                let code = self.ident(next(&mut parts, "problem code")?);
                let at = parts.next().map(|at| self.ident(at));
                ExpectationKind::Problem { code, at, warning }
            }
            Rule::expect_value => {
                let mut parts = part.into_inner();
                let target = self.ident(next(&mut parts, "expected item")?);
                let value = next(&mut parts, "expected value")?;
                let value = match value.as_rule() {
                    Rule::has_op => None,
                    _ => Some(self.test_value(value)?),
                };
                ExpectationKind::Value { target, value }
            }
            Rule::expect_item => {
                let mut negated = false;
                let mut target = None;
                let mut required = false;
                for piece in part.into_inner() {
                    match piece.as_rule() {
                        Rule::path => target = Some(self.ident(piece)),
                        Rule::not_op => negated = true,
                        Rule::item_state => required = piece.as_str() == "required",
                        _ => return Err(self.unexpected(&piece)),
                    }
                }
                ExpectationKind::Item {
                    target: target.ok_or_else(|| missing("expected item", span))?,
                    negated,
                    required,
                }
            }
            _ => return Err(self.unexpected(&part)),
        };
        Ok(Expectation { kind, span })
    }

    fn header(&self, pair: Pair<'_, Rule>) -> Result<Header> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let id = self.ident(next(&mut inner, "instrument id")?);
        let mut fields = Vec::new();
        for field in inner {
            let mut parts = field.into_inner();
            let key = next(&mut parts, "header key")?;
            let key_span = self.span(&key);
            let key = match key.as_str() {
                "title" => HeaderKey::Title,
                "resolution" => HeaderKey::Resolution,
                "version" => HeaderKey::Version,
                "language" => HeaderKey::Language,
                "date" => HeaderKey::Date,
                "status" => HeaderKey::Status,
                _ => return Err(self.unexpected(&key)),
            };
            let value = self.text(next(&mut parts, "header value")?)?;
            fields.push(HeaderField {
                key,
                key_span,
                value,
            });
        }
        Ok(Header { id, fields, span })
    }

    fn scale(&self, pair: Pair<'_, Rule>) -> Result<ScaleDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let id = self.ident(next(&mut inner, "scale id")?);
        let mut label = None;
        let mut rest = next(&mut inner, "scale options")?;
        if rest.as_rule() == Rule::string {
            label = Some(self.text(rest)?);
            rest = next(&mut inner, "scale options")?;
        }
        Ok(ScaleDecl {
            id,
            label,
            options: self.options(rest)?,
            span,
        })
    }

    fn options(&self, pair: Pair<'_, Rule>) -> Result<Options> {
        let span = self.span(&pair);
        let options = pair
            .into_inner()
            .map(|option| {
                let mut parts = option.into_inner();
                Ok(OptionDecl {
                    code: self.ident(next(&mut parts, "option code")?),
                    label: self.text(next(&mut parts, "option label")?)?,
                    score: match parts.next() {
                        Some(score) => Some(self.parse_number(&score)?),
                        None => None,
                    },
                })
            })
            .collect::<Result<_>>()?;
        Ok(Options { options, span })
    }

    fn document(&self, pair: Pair<'_, Rule>) -> Result<DocumentDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let id = self.ident(next(&mut inner, "document id")?);
        let title = self.text(next(&mut inner, "document title")?)?;
        let mut sources = Vec::new();
        let mut paragraphs = Vec::new();
        for member in inner {
            match member.as_rule() {
                Rule::source => sources.push(self.text(only(member, "source text")?)?),
                Rule::paragraph => paragraphs.push(self.paragraph(member)?),
                _ => return Err(self.unexpected(&member)),
            }
        }
        Ok(DocumentDecl {
            id,
            title,
            sources,
            paragraphs,
            span,
        })
    }

    fn paragraph(&self, pair: Pair<'_, Rule>) -> Result<ParagraphDecl> {
        let span = self.span(&pair);
        let mut heading = None;
        let mut number = None;
        let mut body = None;
        let mut subparagraphs = Vec::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::heading => heading = Some(self.text(only(part, "heading text")?)?),
                Rule::para_number => number = Some(self.ident(part)),
                Rule::string => body = Some(Some(self.text(part)?)),
                Rule::pending => body = Some(None),
                Rule::subparagraphs => {
                    for sub in part.into_inner() {
                        let mut parts = sub.into_inner();
                        let letter = self.ident(next(&mut parts, "subparagraph letter")?);
                        let text = next(&mut parts, "subparagraph text")?;
                        let text = match text.as_rule() {
                            Rule::pending => None,
                            _ => Some(self.text(text)?),
                        };
                        subparagraphs.push(SubparagraphDecl { letter, text });
                    }
                }
                _ => return Err(self.unexpected(&part)),
            }
        }
        Ok(ParagraphDecl {
            heading,
            number: number.ok_or_else(|| missing("paragraph number", span))?,
            text: body.ok_or_else(|| missing("paragraph text", span))?,
            subparagraphs,
            span,
        })
    }

    fn introduction(&self, pair: Pair<'_, Rule>) -> Result<Introduction> {
        let span = self.span(&pair);
        let prose = pair
            .into_inner()
            .map(|pair| self.prose(pair))
            .collect::<Result<_>>()?;
        Ok(Introduction { prose, span })
    }

    fn prose(&self, pair: Pair<'_, Rule>) -> Result<Prose> {
        Ok(match pair.as_rule() {
            Rule::text => Prose::Text(self.text(only(pair, "text")?)?),
            Rule::heading => Prose::Heading(self.text(only(pair, "heading")?)?),
            Rule::quote => Prose::Quote(self.para_refs(pair)?),
            _ => return Err(self.unexpected(&pair)),
        })
    }

    /// Lowers `quote` and `cites`: a document id followed by `para_refs`.
    fn para_refs(&self, pair: Pair<'_, Rule>) -> Result<ParaRefs> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let document = self.ident(next(&mut inner, "document id")?);
        let refs = next(&mut inner, "paragraph references")?
            .into_inner()
            .filter(|part| part.as_rule() == Rule::para_ref)
            .map(|part| {
                // Implicit whitespace after the reference is not part of it.
                let whole = self.span(&part);
                let span = Span::new(whole.start, whole.start + part.as_str().trim_end().len());
                let mut parts = part.into_inner();
                let number = next(&mut parts, "paragraph number")?.as_str().to_owned();
                let letter = parts.next().map(|letter| letter.as_str().to_owned());
                Ok(ParaRef {
                    number,
                    letter,
                    span,
                })
            })
            .collect::<Result<_>>()?;
        Ok(ParaRefs {
            document,
            refs,
            span,
        })
    }

    fn section(&self, pair: Pair<'_, Rule>) -> Result<SectionDecl> {
        let span = self.span(&pair);
        let respondent = pair.as_rule() == Rule::respondent;
        let mut inner = pair.into_inner();
        // The respondent block's id is its keyword.
        let id = self.ident(next(&mut inner, "section id")?);
        let title = self.text(next(&mut inner, "section title")?)?;
        let members = inner
            .map(|member| self.section_member(member))
            .collect::<Result<_>>()?;
        Ok(SectionDecl {
            id,
            title,
            respondent,
            members,
            span,
        })
    }

    fn section_member(&self, member: Pair<'_, Rule>) -> Result<SectionMember> {
        Ok(match member.as_rule() {
            Rule::text | Rule::heading | Rule::quote => SectionMember::Prose(self.prose(member)?),
            Rule::grid => SectionMember::Grid(self.grid(member)?),
            Rule::table => SectionMember::Table(self.table(member)?),
            Rule::calc => SectionMember::Calc(self.calc(member)?),
            Rule::constraint => SectionMember::Constraint(self.constraint(member)?),
            Rule::use_block => SectionMember::Use(self.use_block(member)?),
            _ => SectionMember::Item(self.item(member)?),
        })
    }

    fn item(&self, pair: Pair<'_, Rule>) -> Result<ItemDecl> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::question => ItemKind::Question,
            Rule::sub_item => ItemKind::SubItem,
            Rule::ask => ItemKind::Ask,
            Rule::followup => ItemKind::Followup,
            Rule::field => ItemKind::Field,
            _ => return Err(self.unexpected(&pair)),
        };
        let mut inner = pair.into_inner();
        let mut head = next(&mut inner, "item head")?.into_inner();
        let id = self.ident(next(&mut head, "item id")?);
        let label = self.text(next(&mut head, "item label")?)?;
        let mut answer = None;
        let mut guard_ = None;
        for part in head {
            match part.as_rule() {
                Rule::on_answers | Rule::when => guard_ = Some(self.guard(part)?),
                _ => answer = Some(self.answer_type(part)?),
            }
        }
        let members = match inner.next() {
            Some(body) => body
                .into_inner()
                .map(|pair| self.item_member(pair))
                .collect::<Result<_>>()?,
            None => Vec::new(),
        };
        Ok(ItemDecl {
            kind,
            id,
            label,
            answer,
            guard: guard_,
            members,
            span,
        })
    }

    fn item_member(&self, pair: Pair<'_, Rule>) -> Result<ItemMember> {
        Ok(match pair.as_rule() {
            Rule::cites => ItemMember::Cites(self.para_refs(pair)?),
            Rule::help => ItemMember::Help(self.text(only(pair, "help text")?)?),
            Rule::note => ItemMember::Note(self.text(only(pair, "note text")?)?),
            Rule::optional => ItemMember::Optional(self.span(&pair)),
            Rule::allow_uncited => ItemMember::AllowUncited(self.span(&pair)),
            Rule::feeds => {
                ItemMember::Feeds(pair.into_inner().map(|pair| self.ident(pair)).collect())
            }
            Rule::required => ItemMember::Required(self.span(&pair)),
            Rule::allow_special => {
                ItemMember::AllowSpecial(pair.into_inner().map(|pair| self.ident(pair)).collect())
            }
            Rule::grid => ItemMember::Grid(self.grid(pair)?),
            Rule::table => ItemMember::Table(self.table(pair)?),
            Rule::calc => ItemMember::Calc(self.calc(pair)?),
            Rule::constraint => ItemMember::Constraint(self.constraint(pair)?),
            _ => ItemMember::Item(self.item(pair)?),
        })
    }

    fn calc(&self, pair: Pair<'_, Rule>) -> Result<CalcDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        Ok(CalcDecl {
            id: self.ident(next(&mut inner, "calculated value id")?),
            label: self.text(next(&mut inner, "calculated value label")?)?,
            value: self.expr(next(&mut inner, "calculation")?)?,
            shown: inner.next().is_some(),
            span,
        })
    }

    fn constraint(&self, pair: Pair<'_, Rule>) -> Result<ConstraintDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        Ok(ConstraintDecl {
            condition: self.expr(next(&mut inner, "constraint")?)?,
            warning: next(&mut inner, "severity")?.as_str() == "warning",
            message: self.text(next(&mut inner, "constraint message")?)?,
            span,
        })
    }

    fn table(&self, pair: Pair<'_, Rule>) -> Result<TableDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let id = self.ident(next(&mut inner, "table id")?);
        let label = self.text(next(&mut inner, "table label")?)?;
        let cell = self.answer_type(only(next(&mut inner, "cell type")?, "cell type")?)?;
        let mut table = TableDecl {
            id,
            label,
            cell,
            guard: None,
            rows: Vec::new(),
            columns: Vec::new(),
            attributes: Vec::new(),
            span,
        };
        for member in inner {
            let rule = member.as_rule();
            match rule {
                Rule::on_answers | Rule::when => table.guard = Some(self.guard(member)?),
                Rule::table_row | Rule::total_row | Rule::table_column | Rule::total_column => {
                    let mut parts = member.into_inner();
                    let line = TableLine {
                        id: self.ident(next(&mut parts, "id")?),
                        label: self.text(next(&mut parts, "label")?)?,
                        total: matches!(rule, Rule::total_row | Rule::total_column),
                        cites: parts.next().map(|pair| self.para_refs(pair)).transpose()?,
                    };
                    if matches!(rule, Rule::table_row | Rule::total_row) {
                        table.rows.push(line);
                    } else {
                        table.columns.push(line);
                    }
                }
                _ => table.attributes.push(self.item_member(member)?),
            }
        }
        Ok(table)
    }

    fn guard(&self, pair: Pair<'_, Rule>) -> Result<Guard> {
        let span: Span = self.span(&pair);
        Ok(match pair.as_rule() {
            Rule::on_answers => Guard::On {
                codes: pair.into_inner().map(|pair| self.ident(pair)).collect(),
                span,
            },
            Rule::when => Guard::When(self.expr(only(pair, "condition")?)?),
            _ => return Err(self.unexpected(&pair)),
        })
    }

    fn grid(&self, pair: Pair<'_, Rule>) -> Result<GridDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let id = self.ident(next(&mut inner, "grid id")?);
        let label = self.text(next(&mut inner, "grid label")?)?;
        let mut grid = GridDecl {
            id,
            label,
            guard: None,
            columns: Vec::new(),
            rows: Vec::new(),
            attributes: Vec::new(),
            span,
        };
        for member in inner {
            match member.as_rule() {
                Rule::on_answers | Rule::when => grid.guard = Some(self.guard(member)?),
                Rule::column => {
                    let mut parts = member.into_inner();
                    grid.columns.push(ColumnDecl {
                        id: self.ident(next(&mut parts, "column id")?),
                        label: self.text(next(&mut parts, "column label")?)?,
                        guard: parts.next().map(|pair| self.guard(pair)).transpose()?,
                    });
                }
                Rule::row => grid.rows.push(GridRow::Row(Box::new(self.row(member)?))),
                Rule::row_splice => {
                    let name = self.ident(only(member, "rows name")?);
                    grid.rows.push(GridRow::Splice(name));
                }
                _ => grid.attributes.push(self.item_member(member)?),
            }
        }
        Ok(grid)
    }

    /// The rows in braces of a `rows_decl` or an argument.
    fn row_list(&self, pair: Pair<'_, Rule>) -> Result<Vec<RowDecl>> {
        pair.into_inner().map(|row| self.row(row)).collect()
    }

    fn row(&self, pair: Pair<'_, Rule>) -> Result<RowDecl> {
        let mut parts = pair.into_inner();
        let mut row = RowDecl {
            id: self.ident(next(&mut parts, "row id")?),
            label: self.text(next(&mut parts, "row label")?)?,
            answer: None,
            cites: None,
        };
        for part in parts {
            match part.as_rule() {
                Rule::cites => row.cites = Some(self.para_refs(part)?),
                _ => row.answer = Some(self.answer_type(part)?),
            }
        }
        Ok(row)
    }

    fn answer_type(&self, pair: Pair<'_, Rule>) -> Result<AnswerType> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::scale_name => {
                AnswerKind::One(Choices::Scale(self.ident(only(pair, "scale name")?)))
            }
            Rule::one_of => AnswerKind::One(self.choices(only(pair, "choices")?)?),
            Rule::many_of => AnswerKind::Many(self.choices(only(pair, "choices")?)?),
            Rule::text_type => AnswerKind::Text,
            Rule::long_text_type => AnswerKind::LongText,
            Rule::date_type => AnswerKind::Date,
            Rule::country_type => AnswerKind::Country,
            Rule::number_type | Rule::integer_type => {
                let integer = pair.as_rule() == Rule::integer_type;
                let mut min = None;
                let mut max = None;
                for bound in pair.into_inner() {
                    let is_min = bound.as_rule() == Rule::min_bound;
                    let number = only(bound, "bound")?;
                    let bound = Some(Bound {
                        value: self.parse_number(&number)?,
                        span: self.span(&number),
                    });
                    if is_min {
                        min = bound;
                    } else {
                        max = bound;
                    }
                }
                AnswerKind::Number { integer, min, max }
            }
            Rule::amount_type => AnswerKind::Amount {
                currencies: pair
                    .into_inner()
                    .filter(|part| part.as_rule() == Rule::currency)
                    .map(|pair| self.ident(pair))
                    .collect(),
            },
            Rule::list_type => {
                let mut list = ListDecl {
                    fields: Vec::new(),
                    calcs: Vec::new(),
                    min: None,
                    max: None,
                    constraints: Vec::new(),
                };
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::min_records => list.min = Some(self.record_count(part)?),
                        Rule::max_records => list.max = Some(self.record_count(part)?),
                        Rule::constraint => list.constraints.push(self.constraint(part)?),
                        Rule::calc => list.calcs.push((list.fields.len(), self.calc(part)?)),
                        _ => list.fields.push(self.record_field(part)?),
                    }
                }
                AnswerKind::List(list)
            }
            _ => return Err(self.unexpected(&pair)),
        };
        Ok(AnswerType { kind, span })
    }

    fn record_field(&self, pair: Pair<'_, Rule>) -> Result<RecordFieldDecl> {
        let mut parts = pair.into_inner();
        let mut field = RecordFieldDecl {
            id: self.ident(next(&mut parts, "field id")?),
            label: self.text(next(&mut parts, "field label")?)?,
            answer: self.answer_type(next(&mut parts, "field type")?)?,
            optional: false,
            when: None,
            help: Vec::new(),
            notes: Vec::new(),
        };
        for part in parts {
            match part.as_rule() {
                Rule::optional => field.optional = true,
                Rule::field_body => {
                    for shown in part.into_inner() {
                        match shown.as_rule() {
                            Rule::help => field.help.push(self.text(only(shown, "help text")?)?),
                            _ => field.notes.push(self.text(only(shown, "note text")?)?),
                        }
                    }
                }
                _ => field.when = Some(self.expr(only(part, "condition")?)?),
            }
        }
        Ok(field)
    }

    fn record_count(&self, pair: Pair<'_, Rule>) -> Result<RecordCount> {
        let value = only(pair, "number of records")?;
        Ok(match value.as_rule() {
            Rule::number => RecordCount::Number(self.parse_number(&value)?, self.span(&value)),
            _ => RecordCount::Item(self.ident(value)),
        })
    }

    fn choices(&self, pair: Pair<'_, Rule>) -> Result<Choices> {
        Ok(match pair.as_rule() {
            Rule::path => Choices::Scale(self.ident(pair)),
            Rule::options => Choices::Inline(self.options(pair)?),
            _ => return Err(self.unexpected(&pair)),
        })
    }

    fn expr(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        crate::stack::guard(|| {
            let span: Span = self.span(&pair);
            match pair.as_rule() {
                Rule::expr => self.expr(only(pair, "disjunction")?),
                Rule::disjunction | Rule::conjunction => {
                    let is_or = pair.as_rule() == Rule::disjunction;
                    let mut operands = pair
                        .into_inner()
                        .filter(|part| !matches!(part.as_rule(), Rule::or_op | Rule::and_op))
                        .map(|pair| self.expr(pair))
                        .collect::<Result<Vec<_>>>()?;
                    if operands.len() == 1 {
                        return operands.pop().ok_or_else(|| missing("operand", span));
                    }
                    // The pair's own span would take in the blanks after a sum or a product.
                    let span = match (operands.first(), operands.last()) {
                        (Some(first), Some(last)) => first.span.cover(last.span),
                        _ => span,
                    };
                    let kind = if is_or {
                        ExprKind::Or(operands)
                    } else {
                        ExprKind::And(operands)
                    };
                    Ok(Expr { kind, span })
                }
                Rule::negation => {
                    let mut nots = Vec::new();
                    let mut operand = None;
                    for part in pair.into_inner() {
                        match part.as_rule() {
                            Rule::not_op => nots.push(self.base + part.as_span().start()),
                            _ => operand = Some(self.expr(part)?),
                        }
                    }
                    if let Some(&start) = nots.get(super::MAX_DEPTH) {
                        return Err(SyntaxError::TooDeep {
                            span: Span::new(start, start + 3),
                        });
                    }
                    let mut result = operand.ok_or_else(|| missing("operand", span))?;
                    for start in nots.into_iter().rev() {
                        let span = Span::new(start, result.span.end);
                        result = Expr {
                            kind: ExprKind::Not(Box::new(result)),
                            span,
                        };
                    }
                    Ok(result)
                }
                Rule::comparison => {
                    // The pairs of a value, then perhaps an operator and what it compares with.
                    let mut parts = pair.into_inner().peekable();
                    let lhs = self.value(&mut parts)?;
                    let Some(op) = parts.next() else {
                        return Ok(lhs);
                    };
                    let kind = match op.as_rule() {
                        Rule::in_op => ExprKind::In {
                            operand: Box::new(lhs),
                            codes: next(&mut parts, "codes")?
                                .into_inner()
                                .map(|pair| self.ident(pair))
                                .collect(),
                        },
                        Rule::has_op => ExprKind::Has {
                            operand: Box::new(lhs),
                            code: Box::new(self.value(&mut parts)?),
                        },
                        _ => {
                            let rhs = self.value(&mut parts)?;
                            return Ok(Expr {
                                span: lhs.span.cover(rhs.span),
                                kind: ExprKind::Compare {
                                    op: self.compare_op(&op)?,
                                    lhs: Box::new(lhs),
                                    rhs: Box::new(rhs),
                                },
                            });
                        }
                    };
                    Ok(Expr { kind, span })
                }
                Rule::answered => Ok(Expr {
                    kind: ExprKind::Answered(self.ident(only(pair, "item")?)),
                    span,
                }),
                Rule::ident | Rule::name => Ok(Expr {
                    kind: ExprKind::Name(self.ident(pair)),
                    span,
                }),
                Rule::number => Ok(Expr {
                    kind: ExprKind::Number(self.parse_number(&pair)?),
                    span,
                }),
                Rule::date => Ok(Expr {
                    kind: ExprKind::Date(pair.as_str().to_owned()),
                    span,
                }),
                Rule::string => Ok(Expr {
                    kind: ExprKind::Text(self.text(pair)?.value),
                    span,
                }),
                Rule::boolean => Ok(Expr {
                    kind: ExprKind::Bool(pair.as_str() == "true"),
                    span,
                }),
                _ => Err(self.unexpected(&pair)),
            }
        })
    }

    /// A value from the pairs of a comparison: operands joined by arithmetic, up to the
    /// comparison's operator. `*` and `/` bind tighter than `+` and `-`; each is left
    /// associative.
    fn value<'i>(&self, parts: &mut std::iter::Peekable<Pairs<'i, Rule>>) -> Result<Expr> {
        let first = self.product(parts)?;
        let mut rest = Vec::new();
        while let Some(op) = parts.next_if(|pair| pair.as_rule() == Rule::add_op) {
            let op = if op.as_str() == "+" {
                ArithOp::Add
            } else {
                ArithOp::Sub
            };
            rest.push((op, self.product(parts)?));
        }
        Ok(chain(first, rest))
    }

    fn product<'i>(&self, parts: &mut std::iter::Peekable<Pairs<'i, Rule>>) -> Result<Expr> {
        let first = self.operand(parts)?;
        let mut rest = Vec::new();
        while let Some(op) = parts.next_if(|pair| pair.as_rule() == Rule::mul_op) {
            let op = if op.as_str() == "*" {
                ArithOp::Mul
            } else {
                ArithOp::Div
            };
            rest.push((op, self.operand(parts)?));
        }
        Ok(chain(first, rest))
    }

    /// One operand: a name, and the arguments that make it a function's, or any other.
    fn operand<'i>(&self, parts: &mut std::iter::Peekable<Pairs<'i, Rule>>) -> Result<Expr> {
        let pair = parts
            .next()
            .ok_or_else(|| missing("operand", Span::default()))?;
        if pair.as_rule() != Rule::name {
            return self.expr(pair);
        }
        let name = self.ident(pair);
        match parts.next_if(|pair| pair.as_rule() == Rule::arguments) {
            Some(arguments) => {
                let span = name.span.cover(self.span(&arguments));
                let mut args = Vec::new();
                let mut filter = None;
                let mut policy = None;
                for arg in arguments.into_inner() {
                    if arg.as_rule() == Rule::missing {
                        let span = self.span(&arg);
                        policy = Some((only(arg, "missing")?.as_str() == "none", span));
                    } else if arg.as_rule() == Rule::filter {
                        let condition = arg
                            .into_inner()
                            .find(|part| part.as_rule() != Rule::where_op)
                            .ok_or_else(|| missing("condition", span))?;
                        filter = Some(Box::new(self.expr(condition)?));
                    } else {
                        args.push(self.expr(arg)?);
                    }
                }
                Ok(Expr {
                    kind: ExprKind::Call {
                        function: name,
                        args,
                        filter,
                        missing: policy,
                    },
                    span,
                })
            }
            None => Ok(Expr {
                span: name.span,
                kind: ExprKind::Name(name),
            }),
        }
    }

    fn compare_op(&self, pair: &Pair<'_, Rule>) -> Result<CompareOp> {
        Ok(match pair.as_str() {
            "=" => CompareOp::Eq,
            "!=" => CompareOp::Ne,
            "<" => CompareOp::Lt,
            "<=" => CompareOp::Le,
            ">" => CompareOp::Gt,
            ">=" => CompareOp::Ge,
            _ => return Err(self.unexpected(pair)),
        })
    }

    /// A number, correctly rounded; one too large for a double, or too small to be told from
    /// zero, is refused rather than read as infinity or 0.
    fn parse_number(&self, pair: &Pair<'_, Rule>) -> Result<f64> {
        let text = pair.as_str();
        let value: f64 = text.parse().map_err(|_| SyntaxError::Internal {
            detail: format!("`{text}` is not a number"),
            span: self.span(pair),
        })?;
        let nonzero = text.bytes().any(|b| (b'1'..=b'9').contains(&b));
        let why = if !value.is_finite() {
            Some("larger than the largest number a form can hold (about 1.8e308)")
        } else if value == 0.0 && nonzero {
            Some("too close to 0 to be told apart from it")
        } else {
            None
        };
        match why {
            Some(why) => Err(SyntaxError::BadNumber {
                span: self.span(pair),
                why: why.to_owned(),
            }),
            None => Ok(value),
        }
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_owned(),
            span: self.span(&pair),
        }
    }

    /// Lowers a `string`: decodes each quoted piece and joins adjacent pieces.
    fn text(&self, pair: Pair<'_, Rule>) -> Result<Text> {
        // From the first quote to the last: not the blanks pest skipped after it.
        let start = self.span(&pair).start;
        let end = pair
            .clone()
            .into_inner()
            .last()
            .map_or(start, |part| self.span(&part).end);
        let span = Span::new(start, end);
        let mut value = String::new();
        // Each character of the value, with where it is written in the map: kept only for a
        // text with braces, the one that has references to find.
        let braces = pair.as_str().contains(['{', '}']);
        let mut places: Vec<(char, usize)> = Vec::new();
        for part in pair.into_inner() {
            let raw = part.as_str();
            let body = raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default();
            let body_start = self.base + part.as_span().start() + 1;
            if !braces && !body.contains('\\') {
                value.push_str(body);
                continue;
            }
            let mut chars = body.char_indices();
            while let Some((offset, c)) = chars.next() {
                let at = body_start + offset;
                if c != '\\' {
                    value.push(c);
                    if braces {
                        places.push((c, at));
                    }
                    continue;
                }
                let decoded = match chars.next() {
                    Some((_, '"')) => '"',
                    Some((_, '\\')) => '\\',
                    Some((_, 'n')) => '\n',
                    Some((_, 't')) => '\t',
                    other => {
                        let end = at + 1 + other.map_or(0, |(_, c)| c.len_utf8());
                        return Err(SyntaxError::BadEscape {
                            span: Span::new(at, end),
                        });
                    }
                };
                value.push(decoded);
                if braces {
                    places.push((decoded, at));
                }
            }
        }
        let parts = if braces {
            text_parts(&places)
        } else if value.is_empty() {
            Vec::new()
        } else {
            vec![TextPart::Literal(value.clone())]
        };
        Ok(Text { value, span, parts })
    }

    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        Span::new(self.base + span.start(), self.base + span.end())
    }

    fn unexpected(&self, pair: &Pair<'_, Rule>) -> SyntaxError {
        SyntaxError::Internal {
            detail: format!("unexpected {:?} in the parse tree", pair.as_rule()),
            span: self.span(pair),
        }
    }
}

/// A text's characters (each with its place) split into literal runs and `{name}`s: `{{` and
/// `}}` are braces, `{` up to the next `}` names a value, and a brace that opens or closes
/// nothing is a brace.
fn text_parts(places: &[(char, usize)]) -> Vec<TextPart> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while let Some(&(c, at)) = places.get(i) {
        let next = places.get(i + 1).map(|(c, _)| *c);
        match (c, next) {
            ('{', Some('{')) | ('}', Some('}')) => {
                literal.push(c);
                i += 2;
            }
            ('{', _) => match places.iter().skip(i + 1).position(|(c, _)| *c == '}') {
                Some(length) => {
                    let close = i + 1 + length;
                    let name: String = places
                        .iter()
                        .skip(i + 1)
                        .take(length)
                        .map(|(c, _)| *c)
                        .collect();
                    let end = places.get(close).map_or(at, |(c, at)| at + c.len_utf8());
                    if !literal.is_empty() {
                        parts.push(TextPart::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(TextPart::Ref {
                        name,
                        span: Span::new(at, end),
                    });
                    i = close + 1;
                }
                None => {
                    literal.push(c);
                    i += 1;
                }
            },
            _ => {
                literal.push(c);
                i += 1;
            }
        }
    }
    if !literal.is_empty() {
        parts.push(TextPart::Literal(literal));
    }
    parts
}

/// `first op operand op operand…`, spanning them all; `first` alone when nothing follows.
fn chain(first: Expr, rest: Vec<(ArithOp, Expr)>) -> Expr {
    let Some((_, last)) = rest.last() else {
        return first;
    };
    Expr {
        span: first.span.cover(last.span),
        kind: ExprKind::Chain {
            first: Box::new(first),
            rest,
        },
    }
}

fn next<'i>(
    pairs: &mut impl Iterator<Item = Pair<'i, Rule>>,
    what: &'static str,
) -> Result<Pair<'i, Rule>> {
    pairs.next().ok_or(SyntaxError::Internal {
        detail: format!("the parse tree lacks the {what}"),
        span: Span::default(),
    })
}

/// The single child of a pair.
fn only<'i>(pair: Pair<'i, Rule>, what: &'static str) -> Result<Pair<'i, Rule>> {
    next(&mut pair.into_inner(), what)
}

fn missing(what: &'static str, span: Span) -> SyntaxError {
    SyntaxError::Internal {
        detail: format!("the parse tree lacks the {what}"),
        span,
    }
}

/// Parses `source` with the generated parser; used by `syntax::parse`.
pub(super) fn parse_pairs(
    source: &str,
) -> std::result::Result<Pairs<'_, Rule>, pest::error::Error<Rule>> {
    use pest::Parser;
    QParser::parse(Rule::file, source)
}
