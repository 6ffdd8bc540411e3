//! What the server shows of a file's declarations, read from its AST: the outline (document
//! symbols) and the blocks with their signatures.

use serde_json::{json, Value};

use super::text::position_of;
use crate::span::Span;
use crate::syntax::ast::*;

/// The protocol's kinds of symbol.
const NAMESPACE: u32 = 3;
const MODULE: u32 = 2;
const FUNCTION: u32 = 12;
const ENUM: u32 = 10;
const VARIABLE: u32 = 13;
const CONSTANT: u32 = 14;

/// The outline of a file: its sections (and respondent block), blocks, reference documents and
/// scales, each with the items declared in it, nested as they are.
pub fn outline(file: &File, text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for declaration in &file.declarations {
        match declaration {
            Declaration::Section(section) => {
                let name = if section.respondent {
                    "respondent"
                } else {
                    section.id.name.as_str()
                };
                let children = section_members(&section.members, text);
                out.push(symbol(
                    text,
                    name,
                    NAMESPACE,
                    section.span,
                    section.id.span,
                    children,
                ));
            }
            Declaration::Block(block) => {
                let children = section_members(&block.members, text);
                let name = &block.id.name;
                out.push(symbol(
                    text,
                    name,
                    FUNCTION,
                    block.span,
                    block.id.span,
                    children,
                ));
            }
            Declaration::Document(document) => {
                let name = &document.id.name;
                let span = document.span;
                out.push(symbol(
                    text,
                    name,
                    MODULE,
                    span,
                    document.id.span,
                    Vec::new(),
                ));
            }
            Declaration::Scale(scale) => {
                let name = &scale.id.name;
                out.push(symbol(
                    text,
                    name,
                    ENUM,
                    scale.span,
                    scale.id.span,
                    Vec::new(),
                ));
            }
            _ => {}
        }
    }
    out
}

fn section_members(members: &[SectionMember], text: &str) -> Vec<Value> {
    members
        .iter()
        .filter_map(|member| match member {
            SectionMember::Item(item) => Some(item_symbol(item, text)),
            SectionMember::Grid(grid) => Some(grid_symbol(grid, text)),
            SectionMember::Table(table) => Some(table_symbol(table, text)),
            SectionMember::Calc(calc) => Some(calc_symbol(calc, text)),
            SectionMember::Prose(_) | SectionMember::Constraint(_) | SectionMember::Use(_) => None,
        })
        .collect()
}

fn item_members(members: &[ItemMember], text: &str) -> Vec<Value> {
    members
        .iter()
        .filter_map(|member| match member {
            ItemMember::Item(item) => Some(item_symbol(item, text)),
            ItemMember::Grid(grid) => Some(grid_symbol(grid, text)),
            ItemMember::Table(table) => Some(table_symbol(table, text)),
            ItemMember::Calc(calc) => Some(calc_symbol(calc, text)),
            _ => None,
        })
        .collect()
}

fn item_symbol(item: &ItemDecl, text: &str) -> Value {
    crate::stack::guard(|| {
        let children = item_members(&item.members, text);
        symbol(
            text,
            &item.id.name,
            VARIABLE,
            item.span,
            item.id.span,
            children,
        )
    })
}

fn grid_symbol(grid: &GridDecl, text: &str) -> Value {
    let children = item_members(&grid.attributes, text);
    symbol(
        text,
        &grid.id.name,
        VARIABLE,
        grid.span,
        grid.id.span,
        children,
    )
}

fn table_symbol(table: &TableDecl, text: &str) -> Value {
    let children = item_members(&table.attributes, text);
    symbol(
        text,
        &table.id.name,
        VARIABLE,
        table.span,
        table.id.span,
        children,
    )
}

fn calc_symbol(calc: &CalcDecl, text: &str) -> Value {
    symbol(
        text,
        &calc.id.name,
        CONSTANT,
        calc.span,
        calc.id.span,
        Vec::new(),
    )
}

fn symbol(
    text: &str,
    name: &str,
    kind: u32,
    span: Span,
    selection: Span,
    children: Vec<Value>,
) -> Value {
    // A node's span may run over the blanks after it: they are not its.
    let range = |span: Span| {
        let written = text
            .get(span.start..span.end)
            .unwrap_or_default()
            .trim_end();
        let end = span.start + written.len();
        json!({ "start": position_of(text, span.start), "end": position_of(text, end) })
    };
    let mut symbol = json!({
        "name": name,
        "kind": kind,
        "range": range(span),
        "selectionRange": range(selection),
    });
    if !children.is_empty() {
        crate::emit::set(&mut symbol, "children", Value::Array(children));
    }
    symbol
}

/// The ids of the items that started before a byte offset of a file and end after it, the
/// outermost first. (A node's span may run over the blanks after it: they are not counted.)
pub fn items_around(file: &File, text: &str, offset: usize) -> Vec<String> {
    let mut chain = Vec::new();
    let around = |span: Span| {
        let written = text
            .get(span.start..span.end)
            .unwrap_or_default()
            .trim_end();
        span.start < offset && offset <= span.start + written.len()
    };
    let members = file
        .declarations
        .iter()
        .find_map(|declaration| match declaration {
            Declaration::Section(section) if around(section.span) => Some(&section.members),
            Declaration::Block(block) if around(block.span) => Some(&block.members),
            _ => None,
        });
    let mut item = members
        .into_iter()
        .flatten()
        .find_map(|member| match member {
            SectionMember::Item(item) if around(item.span) => Some(item),
            _ => None,
        });
    while let Some(found) = item {
        chain.push(found.id.name.clone());
        item = found.members.iter().find_map(|member| match member {
            ItemMember::Item(inner) if around(inner.span) => Some(inner),
            _ => None,
        });
    }
    chain
}

/// The blocks a file declares, each with its signature: `block concluding(lessons: item,
/// topic: text)`.
pub fn blocks(file: &File) -> Vec<(String, String)> {
    file.declarations
        .iter()
        .filter_map(|declaration| match declaration {
            Declaration::Block(block) => {
                let parameters: Vec<String> = block
                    .parameters
                    .iter()
                    .map(|p| format!("{}: {}", p.id.name, p.kind.as_str()))
                    .collect();
                let signature = format!("block {}({})", block.id.name, parameters.join(", "));
                Some((block.id.name.clone(), signature))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_blocks_and_items_nest() {
        let text = "scale s { a \"A\" }\nblock b(x: item, t: text) {\n  question x \"X\" : s\n}\nsection main \"Main\" {\n  # question fake\n  question q1 \"Q {x}\" : s {\n    item q1a \"A\" : s\n  }\n  calc c \"C\" = 1\n}\n";
        let file = crate::syntax::parse(text).unwrap_or_default();
        let outline = outline(&file, text);
        let names: Vec<&str> = outline.iter().filter_map(|s| s["name"].as_str()).collect();
        assert_eq!(names, ["s", "b", "main"]);
        let main = &outline[2];
        let children: Vec<&str> = main["children"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["name"].as_str())
            .collect();
        assert_eq!(children, ["q1", "c"]);
        assert_eq!(main["children"][0]["children"][0]["name"], "q1a");
        assert_eq!(main["children"][0]["selectionRange"]["start"]["line"], 6);
        assert_eq!(
            blocks(&file),
            [("b".to_owned(), "block b(x: item, t: text)".to_owned())]
        );
    }
}
