//! Lowering: the one module that reads pest's parse tree. It turns `Pairs` into the AST.
//!
//! The grammar guarantees the shape of every pair, so a surprise here is a bug in qc, never in
//! the user's file; it is reported as an internal error rather than a panic.

use pest::iterators::{Pair, Pairs};

use super::ast::*;
use super::{QParser, Rule, SyntaxError};
use crate::span::Span;

type Result<T> = std::result::Result<T, SyntaxError>;

/// Lowers the pairs of a successful `file` parse.
pub(super) fn file(mut pairs: Pairs<'_, Rule>) -> Result<File> {
    let file = next(&mut pairs, "file")?;
    let mut declarations = Vec::new();
    for pair in file.into_inner() {
        let declaration = match pair.as_rule() {
            Rule::instrument => Declaration::Instrument(header(pair)?),
            Rule::scale => Declaration::Scale(scale(pair)?),
            Rule::document => Declaration::Document(document(pair)?),
            Rule::introduction => Declaration::Introduction(introduction(pair)?),
            Rule::section => Declaration::Section(section(pair)?),
            Rule::EOI => break,
            _ => return Err(unexpected(&pair)),
        };
        declarations.push(declaration);
    }
    Ok(File { declarations })
}

fn header(pair: Pair<'_, Rule>) -> Result<Header> {
    let span = pair.as_span().into();
    let mut inner = pair.into_inner();
    let id = ident(next(&mut inner, "instrument id")?);
    let mut fields = Vec::new();
    for field in inner {
        let mut parts = field.into_inner();
        let key = next(&mut parts, "header key")?;
        let key_span = key.as_span().into();
        let key = match key.as_str() {
            "title" => HeaderKey::Title,
            "resolution" => HeaderKey::Resolution,
            "version" => HeaderKey::Version,
            "language" => HeaderKey::Language,
            "date" => HeaderKey::Date,
            "status" => HeaderKey::Status,
            _ => return Err(unexpected(&key)),
        };
        let value = text(next(&mut parts, "header value")?)?;
        fields.push(HeaderField {
            key,
            key_span,
            value,
        });
    }
    Ok(Header { id, fields, span })
}

fn scale(pair: Pair<'_, Rule>) -> Result<ScaleDecl> {
    let span = pair.as_span().into();
    let mut inner = pair.into_inner();
    let id = ident(next(&mut inner, "scale id")?);
    let mut label = None;
    let mut rest = next(&mut inner, "scale options")?;
    if rest.as_rule() == Rule::string {
        label = Some(text(rest)?);
        rest = next(&mut inner, "scale options")?;
    }
    Ok(ScaleDecl {
        id,
        label,
        options: options(rest)?,
        span,
    })
}

fn options(pair: Pair<'_, Rule>) -> Result<Options> {
    let span = pair.as_span().into();
    let options = pair
        .into_inner()
        .map(|option| {
            let mut parts = option.into_inner();
            Ok(OptionDecl {
                code: ident(next(&mut parts, "option code")?),
                label: text(next(&mut parts, "option label")?)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(Options { options, span })
}

fn document(pair: Pair<'_, Rule>) -> Result<DocumentDecl> {
    let span = pair.as_span().into();
    let mut inner = pair.into_inner();
    let id = ident(next(&mut inner, "document id")?);
    let title = text(next(&mut inner, "document title")?)?;
    let mut sources = Vec::new();
    let mut paragraphs = Vec::new();
    for member in inner {
        match member.as_rule() {
            Rule::source => sources.push(text(only(member, "source text")?)?),
            Rule::paragraph => paragraphs.push(paragraph(member)?),
            _ => return Err(unexpected(&member)),
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

fn paragraph(pair: Pair<'_, Rule>) -> Result<ParagraphDecl> {
    let span = pair.as_span().into();
    let mut heading = None;
    let mut number = None;
    let mut body = None;
    let mut subparagraphs = Vec::new();
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::heading => heading = Some(text(only(part, "heading text")?)?),
            Rule::para_number => number = Some(ident(part)),
            Rule::string => body = Some(text(part)?),
            Rule::subparagraphs => {
                for sub in part.into_inner() {
                    let mut parts = sub.into_inner();
                    subparagraphs.push(SubparagraphDecl {
                        letter: ident(next(&mut parts, "subparagraph letter")?),
                        text: text(next(&mut parts, "subparagraph text")?)?,
                    });
                }
            }
            _ => return Err(unexpected(&part)),
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

fn introduction(pair: Pair<'_, Rule>) -> Result<Introduction> {
    let span = pair.as_span().into();
    let prose = pair.into_inner().map(prose).collect::<Result<_>>()?;
    Ok(Introduction { prose, span })
}

fn prose(pair: Pair<'_, Rule>) -> Result<Prose> {
    Ok(match pair.as_rule() {
        Rule::text => Prose::Text(text(only(pair, "text")?)?),
        Rule::heading => Prose::Heading(text(only(pair, "heading")?)?),
        Rule::quote => Prose::Quote(para_refs(pair)?),
        _ => return Err(unexpected(&pair)),
    })
}

/// Lowers `quote` and `cites`: a document id followed by `para_refs`.
fn para_refs(pair: Pair<'_, Rule>) -> Result<ParaRefs> {
    let span = pair.as_span().into();
    let mut inner = pair.into_inner();
    let document = ident(next(&mut inner, "document id")?);
    let refs = next(&mut inner, "paragraph references")?
        .into_inner()
        .filter(|part| part.as_rule() == Rule::para_ref)
        .map(|part| {
            let span = part.as_span().into();
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

fn section(pair: Pair<'_, Rule>) -> Result<SectionDecl> {
    let span = pair.as_span().into();
    let mut inner = pair.into_inner();
    let id = ident(next(&mut inner, "section id")?);
    let title = text(next(&mut inner, "section title")?)?;
    let members = inner
        .map(|member| {
            Ok(match member.as_rule() {
                Rule::text | Rule::heading | Rule::quote => SectionMember::Prose(prose(member)?),
                Rule::grid => SectionMember::Grid(grid(member)?),
                _ => SectionMember::Item(item(member)?),
            })
        })
        .collect::<Result<_>>()?;
    Ok(SectionDecl {
        id,
        title,
        members,
        span,
    })
}

fn item(pair: Pair<'_, Rule>) -> Result<ItemDecl> {
    let span = pair.as_span().into();
    let kind = match pair.as_rule() {
        Rule::question => ItemKind::Question,
        Rule::sub_item => ItemKind::SubItem,
        Rule::ask => ItemKind::Ask,
        Rule::followup => ItemKind::Followup,
        Rule::field => ItemKind::Field,
        _ => return Err(unexpected(&pair)),
    };
    let mut inner = pair.into_inner();
    let mut head = next(&mut inner, "item head")?.into_inner();
    let id = ident(next(&mut head, "item id")?);
    let label = text(next(&mut head, "item label")?)?;
    let mut answer = None;
    let mut guard_ = None;
    for part in head {
        match part.as_rule() {
            Rule::on_answers | Rule::when => guard_ = Some(guard(part)?),
            _ => answer = Some(answer_type(part)?),
        }
    }
    let members = match inner.next() {
        Some(body) => body.into_inner().map(item_member).collect::<Result<_>>()?,
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

fn item_member(pair: Pair<'_, Rule>) -> Result<ItemMember> {
    Ok(match pair.as_rule() {
        Rule::cites => ItemMember::Cites(para_refs(pair)?),
        Rule::help => ItemMember::Help(text(only(pair, "help text")?)?),
        Rule::note => ItemMember::Note(text(only(pair, "note text")?)?),
        Rule::optional => ItemMember::Optional(pair.as_span().into()),
        Rule::required => ItemMember::Required(pair.as_span().into()),
        Rule::grid => ItemMember::Grid(grid(pair)?),
        _ => ItemMember::Item(item(pair)?),
    })
}

fn guard(pair: Pair<'_, Rule>) -> Result<Guard> {
    let span: Span = pair.as_span().into();
    Ok(match pair.as_rule() {
        Rule::on_answers => Guard::On {
            codes: pair.into_inner().map(ident).collect(),
            span,
        },
        Rule::when => Guard::When(expr(only(pair, "condition")?)?),
        _ => return Err(unexpected(&pair)),
    })
}

fn grid(pair: Pair<'_, Rule>) -> Result<GridDecl> {
    let span = pair.as_span().into();
    let mut inner = pair.into_inner();
    let id = ident(next(&mut inner, "grid id")?);
    let label = text(next(&mut inner, "grid label")?)?;
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
            Rule::on_answers | Rule::when => grid.guard = Some(guard(member)?),
            Rule::column => {
                let mut parts = member.into_inner();
                grid.columns.push(ColumnDecl {
                    id: ident(next(&mut parts, "column id")?),
                    label: text(next(&mut parts, "column label")?)?,
                    guard: parts.next().map(guard).transpose()?,
                });
            }
            Rule::row => {
                let mut parts = member.into_inner();
                let mut row = RowDecl {
                    id: ident(next(&mut parts, "row id")?),
                    label: text(next(&mut parts, "row label")?)?,
                    answer: None,
                    cites: None,
                };
                for part in parts {
                    match part.as_rule() {
                        Rule::cites => row.cites = Some(para_refs(part)?),
                        _ => row.answer = Some(answer_type(part)?),
                    }
                }
                grid.rows.push(row);
            }
            _ => grid.attributes.push(item_member(member)?),
        }
    }
    Ok(grid)
}

fn answer_type(pair: Pair<'_, Rule>) -> Result<AnswerType> {
    let span = pair.as_span().into();
    let kind = match pair.as_rule() {
        Rule::scale_name => AnswerKind::One(Choices::Scale(ident(only(pair, "scale name")?))),
        Rule::one_of => AnswerKind::One(choices(only(pair, "choices")?)?),
        Rule::many_of => AnswerKind::Many(choices(only(pair, "choices")?)?),
        Rule::text_type => AnswerKind::Text,
        Rule::long_text_type => AnswerKind::LongText,
        Rule::date_type => AnswerKind::Date,
        Rule::number_type | Rule::integer_type => {
            let integer = pair.as_rule() == Rule::integer_type;
            let mut min = None;
            let mut max = None;
            for bound in pair.into_inner() {
                let is_min = bound.as_rule() == Rule::min_bound;
                let number = only(bound, "bound")?;
                let bound = Some(Bound {
                    value: parse_number(&number)?,
                    span: number.as_span().into(),
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
                .map(ident)
                .collect(),
        },
        Rule::list_type => AnswerKind::List(
            pair.into_inner()
                .map(|field| {
                    let mut parts = field.into_inner();
                    Ok(RecordFieldDecl {
                        id: ident(next(&mut parts, "field id")?),
                        label: text(next(&mut parts, "field label")?)?,
                        answer: answer_type(next(&mut parts, "field type")?)?,
                        optional: parts.next().is_some(),
                    })
                })
                .collect::<Result<_>>()?,
        ),
        _ => return Err(unexpected(&pair)),
    };
    Ok(AnswerType { kind, span })
}

fn choices(pair: Pair<'_, Rule>) -> Result<Choices> {
    Ok(match pair.as_rule() {
        Rule::ident => Choices::Scale(ident(pair)),
        Rule::options => Choices::Inline(options(pair)?),
        _ => return Err(unexpected(&pair)),
    })
}

fn expr(pair: Pair<'_, Rule>) -> Result<Expr> {
    let span: Span = pair.as_span().into();
    match pair.as_rule() {
        Rule::expr => expr(only(pair, "disjunction")?),
        Rule::disjunction | Rule::conjunction => {
            let is_or = pair.as_rule() == Rule::disjunction;
            let mut operands = pair
                .into_inner()
                .filter(|part| !matches!(part.as_rule(), Rule::or_op | Rule::and_op))
                .map(expr)
                .collect::<Result<Vec<_>>>()?;
            if operands.len() == 1 {
                return operands.pop().ok_or_else(|| missing("operand", span));
            }
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
                    Rule::not_op => nots.push(part.as_span().start()),
                    _ => operand = Some(expr(part)?),
                }
            }
            if nots.len() > super::MAX_DEPTH {
                let start = nots[super::MAX_DEPTH];
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
            let mut parts = pair.into_inner();
            let lhs = expr(next(&mut parts, "operand")?)?;
            let Some(op) = parts.next() else {
                return Ok(lhs);
            };
            let rhs = next(&mut parts, "operand")?;
            let kind = match op.as_rule() {
                Rule::in_op => ExprKind::In {
                    operand: Box::new(lhs),
                    codes: rhs.into_inner().map(ident).collect(),
                },
                Rule::has_op => ExprKind::Has {
                    operand: Box::new(lhs),
                    code: Box::new(expr(rhs)?),
                },
                _ => ExprKind::Compare {
                    op: compare_op(&op)?,
                    lhs: Box::new(lhs),
                    rhs: Box::new(expr(rhs)?),
                },
            };
            Ok(Expr { kind, span })
        }
        Rule::answered => Ok(Expr {
            kind: ExprKind::Answered(ident(only(pair, "item")?)),
            span,
        }),
        Rule::ident => Ok(Expr {
            kind: ExprKind::Name(ident(pair)),
            span,
        }),
        Rule::number => Ok(Expr {
            kind: ExprKind::Number(parse_number(&pair)?),
            span,
        }),
        Rule::date => Ok(Expr {
            kind: ExprKind::Date(pair.as_str().to_owned()),
            span,
        }),
        Rule::string => Ok(Expr {
            kind: ExprKind::Text(text(pair)?.value),
            span,
        }),
        Rule::boolean => Ok(Expr {
            kind: ExprKind::Bool(pair.as_str() == "true"),
            span,
        }),
        _ => Err(unexpected(&pair)),
    }
}

fn compare_op(pair: &Pair<'_, Rule>) -> Result<CompareOp> {
    Ok(match pair.as_str() {
        "=" => CompareOp::Eq,
        "!=" => CompareOp::Ne,
        "<" => CompareOp::Lt,
        "<=" => CompareOp::Le,
        ">" => CompareOp::Gt,
        ">=" => CompareOp::Ge,
        _ => return Err(unexpected(pair)),
    })
}

fn parse_number(pair: &Pair<'_, Rule>) -> Result<f64> {
    pair.as_str().parse().map_err(|_| SyntaxError::Internal {
        detail: format!("`{}` is not a number", pair.as_str()),
        span: pair.as_span().into(),
    })
}

fn ident(pair: Pair<'_, Rule>) -> Ident {
    Ident {
        name: pair.as_str().to_owned(),
        span: pair.as_span().into(),
    }
}

/// Lowers a `string`: decodes each quoted piece and joins adjacent pieces.
fn text(pair: Pair<'_, Rule>) -> Result<Text> {
    let span = pair.as_span().into();
    let mut value = String::new();
    for part in pair.into_inner() {
        let raw = part.as_str();
        let body = &raw[1..raw.len() - 1];
        if !body.contains('\\') {
            value.push_str(body);
            continue;
        }
        let mut chars = body.char_indices();
        while let Some((offset, c)) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => value.push('"'),
                Some((_, '\\')) => value.push('\\'),
                Some((_, 'n')) => value.push('\n'),
                Some((_, 't')) => value.push('\t'),
                other => {
                    let start = part.as_span().start() + 1 + offset;
                    let end = start + 1 + other.map_or(0, |(_, c)| c.len_utf8());
                    return Err(SyntaxError::BadEscape {
                        span: Span::new(start, end),
                    });
                }
            }
        }
    }
    Ok(Text { value, span })
}

fn next<'i>(pairs: &mut Pairs<'i, Rule>, what: &'static str) -> Result<Pair<'i, Rule>> {
    pairs.next().ok_or(SyntaxError::Internal {
        detail: format!("the parse tree lacks the {what}"),
        span: Span::default(),
    })
}

/// The single child of a pair.
fn only<'i>(pair: Pair<'i, Rule>, what: &'static str) -> Result<Pair<'i, Rule>> {
    next(&mut pair.into_inner(), what)
}

fn unexpected(pair: &Pair<'_, Rule>) -> SyntaxError {
    SyntaxError::Internal {
        detail: format!("unexpected {:?} in the parse tree", pair.as_rule()),
        span: pair.as_span().into(),
    }
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
