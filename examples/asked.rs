//! Prints, for each reply, which items qc asks, which grid columns are open, which fields of
//! each record are asked (`fields`: `{list: [{field: asked}, …]}`, for the fields with a
//! condition), what each calculated value is and which are kept from view (`hidden`), as JSON:
//! what `tests/interop/` compares with other tools.
//!
//! `cargo run --example asked -- FORM.q REPLY.json…`

#[path = "../tests/common/loader.rs"]
mod loader;

use serde_json::{json, Map, Value};

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let form = args.next().ok_or("usage: asked FORM.q REPLY.json…")?;
    let instrument = loader::compile_path(std::path::Path::new(&form))
        .instrument
        .ok_or(format!("{form} has errors"))?;
    let mut out = Map::new();
    for path in args {
        let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
        let reply = qc::validate::parse_reply(&bytes).map_err(|e| format!("{path}: {e}"))?;
        let empty = Map::new();
        let answers = reply
            .get("answers")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let answers = &qc::eval::with_calculations(&instrument, answers, &qc::eval::today());
        let enabled = qc::eval::enabled(&instrument, answers);
        let mut items = Map::new();
        let mut columns = Map::new();
        let mut values = Map::new();
        let mut fields = Map::new();
        let hidden: Vec<&str> = instrument
            .items
            .iter()
            .filter(|item| item.kind == qc::model::ItemKind::Calculated && !item.shown)
            .map(|item| item.id.as_str())
            .collect();
        for id in qc::eval::calculation_order(&instrument) {
            let name = &instrument.item(id).id;
            values.insert(
                name.clone(),
                answers.get(name).cloned().unwrap_or(Value::Null),
            );
        }
        for (item, asked) in instrument.items.iter().zip(&enabled) {
            items.insert(item.id.clone(), json!(asked));
            if let (Some(qc::model::AnswerType::List(list)), Some(records), Some(id)) = (
                &item.answer,
                answers.get(&item.id).and_then(Value::as_array),
                instrument.items.iter().position(|i| i.id == item.id),
            ) {
                let per_record: Vec<Value> = records
                    .iter()
                    .filter_map(Value::as_object)
                    .map(|record| {
                        let asked: Map<String, Value> = list
                            .fields
                            .iter()
                            .filter_map(|field| {
                                let condition = field.condition.as_ref()?;
                                let holds = qc::eval::holds_in_record(
                                    &instrument,
                                    condition,
                                    answers,
                                    (qc::model::ItemId::from(id), record),
                                );
                                Some((field.id.clone(), json!(*asked && holds)))
                            })
                            .collect();
                        Value::Object(asked)
                    })
                    .collect();
                fields.insert(item.id.clone(), Value::Array(per_record));
            }
            if let Some(qc::model::AnswerType::Grid(grid)) = &item.answer {
                for column in &grid.columns {
                    let open = column
                        .condition
                        .as_ref()
                        .is_none_or(|c| qc::eval::holds(&instrument, c, answers));
                    columns.insert(format!("{}/{}", item.id, column.id), json!(*asked && open));
                }
            }
        }
        out.insert(
            path,
            json!({
                "items": items,
                "columns": columns,
                "fields": fields,
                "values": values,
                "hidden": hidden,
            }),
        );
    }
    println!("{}", Value::Object(out));
    Ok(())
}
