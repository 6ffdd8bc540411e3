//! The JSON form, `qc-form/1`, as types: the one description of the format. The compiler
//! serialises them (`emit::json`), and the reader deserialises them (`form`), so what one
//! writes the other reads. `docs/form-format.md` documents each field, and
//! `docs/form.schema.json` describes the same shape.
//!
//! Texts are written as the model's texts are (`{id}` for a piped item, `{{` and `}}` for
//! braces); conditions, values and rules are JsonLogic (`emit::jsonlogic`), kept here as JSON.
//! A reader accepts what the compiler writes and leaves absent what it may leave out; keys it
//! does not know are ignored.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// A string of the form: borrowed from the model when written, owned when read.
pub type Str<'a> = Cow<'a, str>;

/// The format identifier; it changes when a change could break a reader.
pub const FORMAT: &str = "qc-form/1";

fn is_false(value: &bool) -> bool {
    !*value
}

/// A form definition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Form<'a> {
    /// [`FORMAT`].
    #[serde(borrow)]
    pub format: Cow<'a, str>,
    #[serde(borrow)]
    pub instrument: Header<'a>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub introduction: Vec<Block<'a>>,
    /// The named scales; options of a single item are written with it.
    #[serde(borrow)]
    pub scales: Vec<Scale<'a>>,
    /// Answers any item may allow that are not values, such as "Don't know".
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub specials: Vec<Choice<'a>>,
    #[serde(borrow)]
    pub documents: Vec<Document<'a>>,
    #[serde(borrow)]
    pub sections: Vec<Section<'a>>,
    /// The headings of the report on the replies that items feed (`feeds`).
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub report: Vec<ReportHeading<'a>>,
    /// The ids of the calculated values, each after those it reads: the order to compute them.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub calculation_order: Vec<Str<'a>>,
    /// With translations, the instrument's language first, then each translation's; in a form
    /// written in one of its translations (`--lang`), that language, then the source's.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<Language<'a>>,
    /// In a form written in a translation: the keys of the texts that have none, and are in
    /// the source's language.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub fallback: Vec<Str<'a>>,
    /// Each translation's texts, by language and then by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<Str<'a>, Cow<'a, BTreeMap<String, String>>>,
}

/// A heading of the report on the replies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportHeading<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub title: Cow<'a, str>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Language<'a> {
    #[serde(borrow)]
    pub code: Cow<'a, str>,
    /// How a frontend lays out the texts.
    pub direction: Direction,
    /// The language the instrument is written in.
    #[serde(default, skip_serializing_if = "is_false")]
    pub source: bool,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Str<'a>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub title: Cow<'a, str>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Str<'a>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scale<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Str<'a>>,
    #[serde(borrow)]
    pub options: Vec<Choice<'a>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice<'a> {
    #[serde(borrow)]
    pub code: Cow<'a, str>,
    #[serde(borrow)]
    pub label: Cow<'a, str>,
    /// What the option scores, for `score(item)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub title: Cow<'a, str>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Str<'a>>,
    #[serde(borrow)]
    pub paragraphs: Vec<Paragraph<'a>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Paragraph<'a> {
    #[serde(borrow)]
    pub number: Cow<'a, str>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Str<'a>>,
    /// The official text is not at hand yet.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pending: bool,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub subparagraphs: Vec<Subparagraph<'a>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subparagraph<'a> {
    #[serde(borrow)]
    pub letter: Cow<'a, str>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Str<'a>>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub pending: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    /// Empty for the respondent block.
    #[serde(borrow)]
    pub number: Cow<'a, str>,
    /// The respondent block: questions about who replies, not numbered.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub respondent: bool,
    #[serde(borrow)]
    pub title: Cow<'a, str>,
    #[serde(borrow)]
    pub content: Vec<Block<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint<'a>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Constraint<'a> {
    /// JsonLogic: true when the constraint is kept (or cannot be tested yet).
    pub rule: Value,
    pub severity: Severity,
    #[serde(borrow)]
    pub message: Cow<'a, str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A block of a section or of the introduction, tagged by its `type`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block<'a> {
    Text(Prose<'a>),
    Heading(Prose<'a>),
    Excerpt(Excerpt<'a>),
    Item(Box<Item<'a>>),
}

impl<'a> Tagged<'a> for Block<'a> {
    const WHAT: &'static str = "block type";

    fn variant<'de: 'a, D: Deserializer<'de>>(tag: &str, content: D) -> Result<Self, D::Error> {
        Ok(match tag {
            "text" => Block::Text(Prose::deserialize(content)?),
            "heading" => Block::Heading(Prose::deserialize(content)?),
            "excerpt" => Block::Excerpt(Excerpt::deserialize(content)?),
            "item" => Block::Item(guarded(content)?),
            other => return Err(unknown::<D>(Self::WHAT, other)),
        })
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Block<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TaggedVisitor(std::marker::PhantomData))
    }
}

/// A text or a heading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prose<'a> {
    #[serde(borrow)]
    pub text: Cow<'a, str>,
}

/// Paragraphs of a reference document, shown to the respondent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Excerpt<'a> {
    #[serde(borrow)]
    pub document: Cow<'a, str>,
    #[serde(borrow)]
    pub paragraphs: Vec<ExcerptParagraph<'a>>,
}

/// A paragraph shown in an excerpt: all of it, or only some subparagraphs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExcerptParagraph<'a> {
    #[serde(borrow)]
    pub number: Cow<'a, str>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub subparagraphs: Option<Vec<Str<'a>>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Citation<'a> {
    #[serde(borrow)]
    pub document: Cow<'a, str>,
    #[serde(borrow)]
    pub paragraph: Cow<'a, str>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub subparagraph: Option<Str<'a>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    pub kind: Kind,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub number: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<Str<'a>>,
    #[serde(borrow)]
    pub label: Cow<'a, str>,
    #[serde(
        borrow,
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "guarded"
    )]
    pub answer: Option<Answer<'a>>,
    #[serde(default)]
    pub required: bool,
    /// JsonLogic: the item is asked when it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Value>,
    /// JsonLogic computing a calculated value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calculation: Option<Value>,
    /// JsonLogic computing the currency of a calculated amount, whose `calculation` computes
    /// its value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Value>,
    /// A calculated value the respondent sees; the others are kept from view.
    #[serde(default, skip_serializing_if = "is_false")]
    pub shown: bool,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub specials: Vec<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub help: Vec<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation<'a>>,
    /// The citations as printed (`paras. 6 (a), 8 and 25`), for renderers.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub citation_text: Option<Str<'a>>,
    /// The ids of the report's headings its answers go under.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub feeds: Vec<Str<'a>>,
    /// Its sub-items and follow-ups.
    #[serde(
        borrow,
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "guarded"
    )]
    pub items: Vec<Item<'a>>,
}

/// What kind of item it is, which decides how it is numbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Question,
    /// A lettered sub-item.
    Item,
    Ask,
    Followup,
    Field,
    Grid,
    Table,
    Calc,
}

/// The answer an item takes, tagged by its `type`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Answer<'a> {
    Choice(ChoiceAnswer<'a>),
    Text(TextAnswer),
    Date,
    /// A country or area: its ISO 3166-1 alpha-3 code.
    Country,
    Number(NumberAnswer),
    Amount(AmountAnswer<'a>),
    List(ListAnswer<'a>),
    Grid(GridAnswer<'a>),
    Table(TableAnswer<'a>),
}

impl<'a> Tagged<'a> for Answer<'a> {
    const WHAT: &'static str = "answer type";

    fn variant<'de: 'a, D: Deserializer<'de>>(tag: &str, content: D) -> Result<Self, D::Error> {
        Ok(match tag {
            "choice" => Answer::Choice(ChoiceAnswer::deserialize(content)?),
            "text" => Answer::Text(TextAnswer::deserialize(content)?),
            "date" => {
                serde::de::IgnoredAny::deserialize(content)?;
                Answer::Date
            }
            "country" => {
                serde::de::IgnoredAny::deserialize(content)?;
                Answer::Country
            }
            "number" => Answer::Number(NumberAnswer::deserialize(content)?),
            "amount" => Answer::Amount(AmountAnswer::deserialize(content)?),
            "list" => Answer::List(ListAnswer::deserialize(content)?),
            "grid" => Answer::Grid(GridAnswer::deserialize(content)?),
            "table" => Answer::Table(TableAnswer::deserialize(content)?),
            other => return Err(unknown::<D>(Self::WHAT, other)),
        })
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Answer<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TaggedVisitor(std::marker::PhantomData))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChoiceAnswer<'a> {
    #[serde(default)]
    pub multiple: bool,
    /// A named scale, or the item's own `options`.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<Choice<'a>>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TextAnswer {
    #[serde(default)]
    pub long: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberAnswer {
    #[serde(default)]
    pub integer: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmountAnswer<'a> {
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub currencies: Vec<Str<'a>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListAnswer<'a> {
    #[serde(borrow)]
    pub fields: Vec<Field<'a>>,
    /// The least number of records: a number, or `{"var": item}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Value>,
    /// Rules over each record, which they read as `this`.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint<'a>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridAnswer<'a> {
    #[serde(borrow)]
    pub columns: Vec<Column<'a>>,
    #[serde(borrow)]
    pub rows: Vec<Row<'a>>,
    /// The names of the named rows among its rows, which grids of other instruments may share.
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub row_sets: Vec<Str<'a>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableAnswer<'a> {
    /// The type of every cell: a number or an amount.
    #[serde(borrow, deserialize_with = "guarded")]
    pub cell: Box<Answer<'a>>,
    #[serde(borrow)]
    pub rows: Vec<Line<'a>>,
    #[serde(borrow)]
    pub columns: Vec<Line<'a>>,
}

/// A field of each record of a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub label: Cow<'a, str>,
    #[serde(default)]
    pub required: bool,
    #[serde(borrow, deserialize_with = "guarded")]
    pub answer: Answer<'a>,
    /// JsonLogic over the record (`this`) and the answers: the field is asked when it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Value>,
    /// JsonLogic over the record (`this`): the value computed from the record's fields before
    /// it; such a field is never asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calculation: Option<Value>,
    /// JsonLogic over the record (`this`): the currency of a computed amount, whose
    /// `calculation` computes its value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Value>,
    /// A computed field the respondent sees.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shown: bool,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub help: Vec<Str<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Str<'a>>,
}

/// A row or a column of a table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub label: Cow<'a, str>,
    /// Its cells are the sums of the other rows' (or columns') cells.
    #[serde(default, skip_serializing_if = "is_false")]
    pub total: bool,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub citation_text: Option<Str<'a>>,
}

/// A checkbox column of a grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub label: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Value>,
}

/// A row of a grid: checkboxes, or with an `answer`, a free-text row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub marker: Cow<'a, str>,
    #[serde(borrow)]
    pub label: Cow<'a, str>,
    #[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<Citation<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub citation_text: Option<Str<'a>>,
    #[serde(
        borrow,
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "guarded"
    )]
    pub answer: Option<Answer<'a>>,
}

/// Deserialises a part of the form that nests (items in items, answers in answers) with room
/// on the stack, as every recursive pass of qc has (see [`crate::stack`]).
fn guarded<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<T, D::Error> {
    crate::stack::guard(|| T::deserialize(deserializer))
}

/// An enum the format tags with a `type` key in the object of its variant.
trait Tagged<'a>: Sized {
    /// What the tag tells, for messages.
    const WHAT: &'static str;

    /// The variant `tag` names, read from the rest of its object.
    fn variant<'de: 'a, D: Deserializer<'de>>(tag: &str, content: D) -> Result<Self, D::Error>;
}

/// Reads a [`Tagged`] enum. When `type` comes first, as the compiler writes it, the rest of the
/// object is read straight into the variant, so that a reader that tracks where it is (the
/// form reader's JSON pointers) knows it down to the key at fault. Otherwise the object is
/// read whole first, and the variant from it.
struct TaggedVisitor<T>(std::marker::PhantomData<T>);

impl<'de: 'a, 'a, T: Tagged<'a>> serde::de::Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "an object with the `type` of its {}", T::WHAT)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        use serde::de::Error;
        let Some(first) = map.next_key::<String>()? else {
            return Err(A::Error::missing_field("type"));
        };
        if first == "type" {
            let tag: String = map.next_value()?;
            return T::variant(&tag, serde::de::value::MapAccessDeserializer::new(map));
        }
        let mut object = serde_json::Map::new();
        object.insert(first, map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            object.insert(key, value);
        }
        let tag = match object.remove("type") {
            Some(Value::String(tag)) => tag,
            Some(_) => return Err(A::Error::custom("`type` is a string")),
            None => return Err(A::Error::missing_field("type")),
        };
        T::variant(&tag, Value::Object(object)).map_err(A::Error::custom)
    }
}

fn unknown<'de, D: Deserializer<'de>>(what: &str, tag: &str) -> D::Error {
    let shown: String = tag.chars().take(60).collect();
    <D::Error as serde::de::Error>::custom(format!("unknown {what} `{}`", shown.escape_debug()))
}
