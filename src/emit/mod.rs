//! Emitters: each output format is one module that reads the checked model.

pub mod fhir;
pub mod json;
pub mod jsonlogic;
pub mod response_schema;
pub mod surveyjs;
pub mod xlsform;
