//! The stable codes that more than one stage names: the codes of a reply's problems
//! (`V0001`…), which the validator reports and an instrument's tests expect. A leaf: it
//! imports nothing of qc.

use serde::{Serialize, Serializer};

/// What is wrong, as a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// The reply is not an object with `form` and `answers`.
    NotAReply,
    /// The reply names another form.
    WrongForm,
    /// The reply names another version of the form (a warning).
    WrongVersion,
    /// An answer to an id the form does not have.
    UnknownItem,
    /// A value of the wrong JSON type.
    WrongType,
    /// A code not in the item's scale.
    UnknownCode,
    /// A text that is not a calendar date.
    InvalidDate,
    /// A number out of its bounds, or not whole where it must be.
    OutOfBounds,
    /// A malformed amount or an unknown currency.
    BadAmount,
    /// An answer to an item that is not asked.
    Disabled,
    /// A required item that is asked but not answered.
    Unanswered,
    /// A tick in a grid column that is not asked.
    DisabledColumn,
    /// An unknown row or column of a grid.
    BadGrid,
    /// A list record with a missing or unknown field.
    BadRecord,
    /// The same code or column twice.
    Duplicate,
    /// A special answer the item does not allow.
    BadSpecial,
    /// A constraint is broken: an error or a warning, as the constraint says.
    Constraint,
    /// A stored calculated value differs from what the answers give.
    Calculation,
    /// Too few or too many records in a list.
    RecordCount,
    /// A total of a table differs from the sum of its cells.
    Total,
    /// A rule compares or adds amounts of different currencies, which qc does not convert.
    Currencies,
    /// The file is not UTF-8.
    NotUtf8,
    /// The file is not JSON, or is cut short.
    NotJson,
    /// The JSON nests too deep.
    TooDeep,
    /// An object has the same key twice.
    DuplicateKey,
}

impl Code {
    /// Every code, in the order of their numbers.
    pub const ALL: [Code; 25] = [
        Code::NotAReply,
        Code::WrongForm,
        Code::WrongVersion,
        Code::UnknownItem,
        Code::WrongType,
        Code::UnknownCode,
        Code::InvalidDate,
        Code::OutOfBounds,
        Code::BadAmount,
        Code::Disabled,
        Code::Unanswered,
        Code::DisabledColumn,
        Code::BadGrid,
        Code::BadRecord,
        Code::Duplicate,
        Code::BadSpecial,
        Code::Constraint,
        Code::Calculation,
        Code::RecordCount,
        Code::Total,
        Code::Currencies,
        Code::NotUtf8,
        Code::NotJson,
        Code::TooDeep,
        Code::DuplicateKey,
    ];

    /// The code written as `V0107`.
    pub fn parse(code: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|known| known.as_str() == code)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Code::NotAReply => "V0001",
            Code::WrongForm => "V0002",
            Code::WrongVersion => "V0003",
            Code::UnknownItem => "V0101",
            Code::WrongType => "V0102",
            Code::UnknownCode => "V0103",
            Code::InvalidDate => "V0104",
            Code::OutOfBounds => "V0105",
            Code::BadAmount => "V0106",
            Code::Disabled => "V0107",
            Code::Unanswered => "V0108",
            Code::DisabledColumn => "V0109",
            Code::BadGrid => "V0110",
            Code::BadRecord => "V0111",
            Code::Duplicate => "V0112",
            Code::BadSpecial => "V0113",
            Code::Constraint => "V0114",
            Code::Calculation => "V0115",
            Code::RecordCount => "V0116",
            Code::Total => "V0117",
            Code::Currencies => "V0118",
            Code::NotUtf8 => "V0201",
            Code::NotJson => "V0202",
            Code::TooDeep => "V0203",
            Code::DuplicateKey => "V0204",
        }
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
