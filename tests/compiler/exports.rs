//! The exports to other frontends, as qc builds them; `tests/interop/` checks them with the
//! real tools.

use super::{bundled_instruments, compile_clean, root};

fn crime_prevention() -> qc::Instrument {
    compile_clean(&root().join("questionnaires/crime-prevention.q"))
}

#[test]
fn xlsform_groups_balance_and_every_answer_has_a_row() {
    for path in bundled_instruments() {
        let instrument = compile_clean(&path);
        let form = qc::emit::xlsform::build(&instrument);
        let mut depth = 0i32;
        for row in &form.survey {
            if row.kind.starts_with("begin_") {
                depth += 1;
            } else if row.kind.starts_with("end_") {
                depth -= 1;
            }
            assert!(depth >= 0);
        }
        assert_eq!(depth, 0);
        for item in instrument.items.iter().filter(|item| item.answer.is_some()) {
            assert!(
                form.survey.iter().any(|row| row.name == item.id),
                "no row for {}",
                item.id
            );
        }
        let bytes = qc::emit::xlsform::to_xlsx(&form).expect("a workbook");
        assert_eq!(&bytes[..2], b"PK", "an .xlsx is a zip archive");
    }
}

#[test]
fn xlsform_maps_scales_conditions_grid_and_list() {
    let form = qc::emit::xlsform::build(&crime_prevention());
    let row = |name: &str| {
        form.survey
            .iter()
            .find(|row| row.name == name)
            .expect(name)
            .clone()
    };
    let yes_no = form.choices.iter().filter(|c| c[0] == "yes_no").count();
    assert_eq!(yes_no, 2, "one shared list, not one per question");
    assert_eq!(row("q1").kind, "select_one yes_no");
    assert_eq!(row("q4c_regional").kind, "select_one yes_partly_no_na");
    assert_eq!(
        row("q2_specify").relevant,
        "(${q2b} = 'yes') or (${q2c} = 'yes')"
    );
    assert_eq!(row("q1_steps").appearance, "multiline");
    assert_eq!(row("q24").kind, "begin_repeat");
    assert_eq!(row("q24_year").constraint, ". >= 1900 and . <= 2100");
    let area = row("ta_areas_social");
    assert_eq!(area.kind, "select_multiple ta_areas_columns");
    assert!(
        area.choice_filter
            .contains("(name = 'need' and (${q25} = 'yes'))"),
        "{}",
        area.choice_filter
    );
    assert_eq!(area.guidance_hint, "paras. 6 (a), 8 and 25");
    assert_eq!(row("ta_areas_priority").kind, "text");
    assert!(row("q6").guidance_hint.contains("para. 6 (a)"));
    assert_eq!(form.losses.len(), 1, "{:?}", form.losses);
    assert_eq!(form.losses[0].item, "q15_total_costs");
}

#[test]
fn surveyjs_has_a_page_per_section_and_carries_conditions() {
    let instrument = crime_prevention();
    let survey = qc::emit::surveyjs::survey(&instrument);
    let pages = survey["pages"].as_array().expect("pages");
    assert_eq!(
        pages.len(),
        1 + instrument.sections.len(),
        "the introduction, the respondent block and five sections"
    );
    // Translated texts are localizable strings; untranslated ones stay plain. The respondent
    // block has no number.
    assert_eq!(pages[1]["title"]["default"], "Information on the reply");
    assert_eq!(pages[1]["title"]["fr"], "Renseignements sur la réponse");
    assert_eq!(
        pages[2]["title"]["default"],
        "I. Structuring crime prevention at the government level"
    );
    assert_eq!(
        pages[2]["title"]["fr"],
        "I. Structuration de la prévention du crime au niveau gouvernemental"
    );
    let q1 = &pages[2]["elements"]
        .as_array()
        .expect("elements")
        .iter()
        .find(|element| element["name"] == "q1")
        .expect("q1");
    assert!(q1["title"].is_string(), "{q1}");
    let text = survey.to_string();
    for fragment in [
        r#""visibleIf":"({q2b} = 'yes') or ({q2c} = 'yes')""#,
        r#""type":"matrix","cellType":"checkbox""#,
        r#""clearInvisibleValues":"onHidden""#,
        r#""type":"paneldynamic""#,
        r#""name":"q15_total_costs_value","title":"Value","inputType":"number""#,
        r#""type":"dropdown","name":"q15_total_costs_currency""#,
        r#""name":"ta_areas_priority""#,
    ] {
        assert!(text.contains(fragment), "{fragment}");
    }
    // Offline: the survey names no font and fetches nothing (survey-core 3 falls back to the
    // system's fonts).
    assert!(!text.contains("font") && !text.contains("http"), "{text}");
    // A follow-up of a question carries the question's own visibility: q2a_legislation_adoption
    // is shown only when q2a and q2a_legislation are both Yes.
    let fragment = r#""visibleIf":"({q2a} = 'yes') and ({q2a_legislation} = 'yes')""#;
    assert!(text.contains(fragment), "no {fragment}");
}

#[test]
fn fhir_questionnaire_keeps_ids_numbers_scales_conditions_and_citations() {
    let instrument = crime_prevention();
    let (questionnaire, losses) = qc::emit::fhir::questionnaire(&instrument);
    assert_eq!(questionnaire["resourceType"], "Questionnaire");
    assert_eq!(questionnaire["id"], "crime-prevention");
    assert_eq!(questionnaire["status"], "active");
    let text = questionnaire.to_string();
    for fragment in [
        r#""linkId":"q4c_regional","prefix":"(ii)""#,
        // The option's label, and its translations after it.
        r#"{"valueCoding":{"code":"not_applicable","display":"Not applicable","_display":"#,
        r#""enableBehavior":"any","enableWhen":[{"question":"q2b","operator":"=","answerCoding":{"code":"yes"}},{"question":"q2c","operator":"=","answerCoding":{"code":"yes"}}]"#,
        r#""code":[{"system":"urn:qc:document:guidelines","code":"6(a)","display":"Guidelines for the Prevention of Crime, para. 6 (a)"}]"#,
        r#""linkId":"q24","prefix":"24.""#,
        r#""type":"group","repeats":true"#,
        r#""type":"quantity""#,
    ] {
        assert!(text.contains(fragment), "no {fragment}");
    }
    assert_eq!(
        losses.len(),
        2,
        "the two grid columns' conditions: {losses:?}"
    );
}

#[test]
fn fhir_uses_the_sdc_expression_where_enable_when_cannot_say_it() {
    let instrument = compile_clean(&root().join("tests/fixtures/pass/conditions.q"));
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&instrument);
    let text = questionnaire.to_string();
    assert!(
        text.contains("sdc-questionnaire-enableWhenExpression"),
        "{text}"
    );
    assert!(
        text.contains(r#""operator":"exists","answerBoolean":true"#),
        "{text}"
    );
}

#[test]
fn fhir_response_nests_follow_ups_in_answers_and_repeats_list_records() {
    let instrument = crime_prevention();
    let bytes = std::fs::read(
        root().join("questionnaires/examples/crime-prevention/arcadia-complete.json"),
    )
    .expect("example");
    let reply = qc::validate::parse_reply(&bytes).expect("JSON");
    let response = qc::emit::fhir::questionnaire_response(&instrument, &reply, "2026-06-30");
    assert_eq!(response["status"], "completed");
    let text = response.to_string();
    assert!(
        text.contains(
            r#"{"valueCoding":{"code":"yes","display":"Yes"},"item":[{"linkId":"q1_steps""#
        ),
        "{text}"
    );
    assert_eq!(
        text.matches(r#""linkId":"q24","#).count(),
        2,
        "one repeating group per guide"
    );
    assert!(text.contains(r#""valueQuantity":{"value":2300000000,"unit":"EUR","system":"urn:iso:std:iso:4217","code":"EUR"}"#), "{text}");
}

/// With translations, the XLSForm has a column of each text in each language, row for row;
/// `--lang` gives one language only.
#[test]
fn xlsform_carries_every_language() {
    let instrument = crime_prevention();
    let form = qc::emit::xlsform::build(&instrument);
    assert_eq!(form.default_language.as_deref(), Some("English (en)"));
    let languages: Vec<&str> = form
        .translations
        .iter()
        .map(|t| t.language.as_str())
        .collect();
    assert_eq!(languages, ["French (fr)", "Spanish (es)"]);
    let french = &form.translations[0];
    assert_eq!(french.survey.len(), form.survey.len());
    assert_eq!(french.choices.len(), form.choices.len());
    let section = form
        .survey
        .iter()
        .position(|row| row.name == "conclusion")
        .expect("the last section");
    assert_eq!(french.survey[section][0], "V. Questions finales");
    let yes = form
        .choices
        .iter()
        .position(|c| c[0] == "yes_no" && c[1] == "yes")
        .expect("yes");
    assert_eq!(french.choices[yes], "Oui");
    assert_eq!(form.translations[1].choices[yes], "Sí");
    // Untranslated texts stay in English in the French column.
    let q1 = form
        .survey
        .iter()
        .position(|row| row.name == "q1")
        .expect("q1");
    assert_eq!(french.survey[q1][0], form.survey[q1].label);

    let spanish = qc::translate::localize(&instrument, "es").expect("Spanish");
    let single = qc::emit::xlsform::build(&spanish);
    assert!(single.translations.is_empty() && single.default_language.is_none());
    assert_eq!(single.choices[yes][2], "Sí");
}

/// With translations, FHIR texts carry the core `translation` extension, language by language.
#[test]
fn fhir_texts_carry_their_translations() {
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&crime_prevention());
    assert_eq!(questionnaire["language"], "en");
    let section = questionnaire["item"]
        .as_array()
        .expect("items")
        .iter()
        .find(|item| item["linkId"] == "government")
        .expect("section I");
    let extensions = section["_text"]["extension"]
        .as_array()
        .expect("translations");
    let given: Vec<(&str, &str)> = extensions
        .iter()
        .map(|extension| {
            assert_eq!(
                extension["url"],
                "http://hl7.org/fhir/StructureDefinition/translation"
            );
            (
                extension["extension"][0]["valueCode"]
                    .as_str()
                    .expect("lang"),
                extension["extension"][1]["valueString"]
                    .as_str()
                    .expect("content"),
            )
        })
        .collect();
    assert_eq!(
        given,
        [
            (
                "fr",
                "Structuration de la prévention du crime au niveau gouvernemental"
            ),
            (
                "es",
                "Estructuración de la prevención del delito a nivel gubernamental"
            ),
        ]
    );
}

fn fixture(name: &str) -> qc::Instrument {
    compile_clean(&root().join(format!("tests/fixtures/pass/{name}.q")))
}

#[test]
fn xlsform_carries_calculations_constraints_tables_and_pipes() {
    let form = qc::emit::xlsform::build(&fixture("calculations"));
    let row = |name: &str| {
        form.survey
            .iter()
            .find(|row| row.name == name)
            .unwrap_or_else(|| panic!("no row {name}"))
    };
    let counted = row("staff_counted");
    assert_eq!(counted.kind, "calculate");
    // A division has a value only when its divisor is not zero, as in qc (XPath would give
    // Infinity or NaN).
    let share = row("women_share");
    assert!(
        share.calculation.starts_with("if(") && share.calculation.contains("${staff_total} != 0"),
        "{}",
        share.calculation
    );
    assert_eq!(
        counted.calculation,
        "(if(${staff_men} != '', ${staff_men}, 0) + if(${staff_women} != '', ${staff_women}, 0))"
    );
    // An error is the item's constraint, tested only once what it compares is filled in.
    let total = row("staff_total");
    assert!(
        total
            .constraint
            .starts_with(". >= 0 and (${staff_men} = '' or"),
        "{}",
        total.constraint
    );
    assert!(total
        .constraint
        .contains("(${staff_men} + ${staff_women}) <= ${staff_total}"));
    assert_eq!(
        total.constraint_message,
        "A number >= 0. Men and women together cannot be more than the total"
    );
    // A warning is a note shown while it is broken; a section's error too, with a loss.
    let warning = row("since_check_1");
    assert_eq!(warning.kind, "note");
    assert!(warning.relevant.starts_with("not("), "{}", warning.relevant);
    assert!(form.losses.iter().any(|loss| loss.item == "strategy"));
    assert_eq!(row("days_adopted").kind, "calculate");
    assert!(row("days_adopted")
        .calculation
        .contains("decimal-date-time(today())"));

    let tables = qc::emit::xlsform::build(&fixture("tables"));
    let total = tables
        .survey
        .iter()
        .find(|row| row.name == "convicted_all_offences_men")
        .expect("a total cell");
    assert!(
        total.constraint.contains(
            ". = ${convicted_homicide_men} + ${convicted_assault_men} + ${convicted_robbery_men}"
        ),
        "{}",
        total.constraint
    );
    // A total keeps its cell's bounds besides the sum.
    assert!(
        total.constraint.starts_with(". >= 0 and ("),
        "{}",
        total.constraint
    );
    assert!(tables
        .losses
        .iter()
        .any(|loss| loss.what == qc::emit::Lost::Specials));
    // An amount cell is a group of a decimal value and a currency chosen among those allowed;
    // the loss is reported once for the table.
    let rows: Vec<(&str, &str)> = tables
        .survey
        .iter()
        .filter(|row| row.name.starts_with("budget_national_y2024"))
        .map(|row| (row.kind.as_str(), row.name.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("begin_group", "budget_national_y2024"),
            ("decimal", "budget_national_y2024_value"),
            (
                "select_one budget_national_y2024_currencies",
                "budget_national_y2024_currency"
            ),
        ]
    );
    let currencies: Vec<&[String; 3]> = tables
        .choices
        .iter()
        .filter(|[list, ..]| list == "budget_national_y2024_currencies")
        .collect();
    assert_eq!(
        currencies,
        [&[
            "budget_national_y2024_currencies".to_owned(),
            "EUR".to_owned(),
            "EUR (Euro)".to_owned()
        ]]
    );
    let amount_losses = tables
        .losses
        .iter()
        .filter(|loss| loss.item == "budget" && loss.what == qc::emit::Lost::Amount);
    assert_eq!(amount_losses.count(), 1);

    let records = qc::emit::xlsform::build(&fixture("records"));
    let piped = records
        .survey
        .iter()
        .find(|row| row.name == "more_guides")
        .expect("a piped label");
    assert_eq!(
        piped.label,
        "4. You listed ${n_guides} guides. Why more than five?"
    );
    let other = records
        .survey
        .iter()
        .find(|row| row.name == "members_other_language")
        .expect("a field of a record");
    assert!(
        other.relevant.contains("${members_language} = 'other'"),
        "{}",
        other.relevant
    );
}

#[test]
fn surveyjs_carries_calculations_and_validators_with_their_severity() {
    let survey = qc::emit::surveyjs::survey(&fixture("calculations"));
    let elements: Vec<&serde_json::Value> = survey["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .flat_map(|page| page["elements"].as_array().expect("elements"))
        .collect();
    let element = |name: &str| {
        elements
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("no element {name}"))
    };
    assert_eq!(element("staff_counted")["type"], "expression");
    assert_eq!(
        element("days_adopted")["expression"],
        "iif({adopted} notempty, dateDiff({adopted}, today(), 'days'), '')"
    );
    let validators = element("since")["validators"]
        .as_array()
        .expect("validators");
    assert_eq!(validators.len(), 2);
    assert!(validators[0].get("notificationType").is_none());
    assert_eq!(validators[1]["notificationType"], "warning");
    // A section's constraint is shown while broken.
    assert_eq!(element("strategy_check_1")["type"], "html");
}

#[test]
fn fhir_carries_calculated_expressions_and_constraints_with_their_severity() {
    let (questionnaire, losses) = qc::emit::fhir::questionnaire(&fixture("calculations"));
    let text = questionnaire.to_string();
    assert!(text.contains("sdc-questionnaire-calculatedExpression"));
    assert!(text.contains("\"valueCode\":\"warning\""));
    assert!(text.contains("\"valueString\":\"Years before 1990 are rarely comparable\""));
    assert!(losses.is_empty(), "{losses:?}");
    let (tables, losses) = qc::emit::fhir::questionnaire(&fixture("tables"));
    assert!(tables
        .to_string()
        .contains("\"linkId\":\"convicted_homicide_men\""));
    assert!(losses
        .iter()
        .any(|loss| loss.what == qc::emit::Lost::Totals));
}

/// Each target's literal encoder writes any text so that it means itself; the real engines
/// evaluate them on `tests/fixtures/pass/literals.q` in `tests/interop/`.
#[test]
fn literals_are_quoted_for_each_target() {
    use qc::emit::{fhir::fhirpath_literal, surveyjs::expression_literal, xlsform::xpath_literal};
    assert_eq!(xpath_literal("it's"), "\"it's\"");
    assert_eq!(xpath_literal("say \"hi\""), "'say \"hi\"'");
    assert_eq!(
        xpath_literal("it's \"both\""),
        "concat('it', \"'\", 's \"both\"')"
    );
    assert_eq!(xpath_literal("${t}"), "concat('$', '{t}')");
    assert_eq!(xpath_literal("' or '1'='1"), "\"' or '1'='1\"");
    assert_eq!(expression_literal("it's \"both\""), "'it\\'s \\\"both\\\"'");
    assert_eq!(expression_literal("back\\"), "'back'");
    assert_eq!(expression_literal("a\\b"), "'a\\b'");
    assert_eq!(fhirpath_literal("back\\"), "'back\\\\'");
    assert_eq!(fhirpath_literal("it's\none"), "'it\\'s\\none'");
    assert_eq!(fhirpath_literal("\u{7}"), "'\\u0007'");
}

/// Each export fixture (`tests/fixtures/exports/CODE-….q`) compiles cleanly, and what each
/// export loses is reported as its code, on the item, rendered as `qc compile` shows it.
#[test]
fn export_fixtures_report_what_each_export_loses() {
    insta::glob!("../fixtures", "exports/*.q", |path| {
        let compilation = super::loader::compile_path(path);
        let instrument = super::compile_clean(path);
        let mut losses = qc::emit::xlsform::build(&instrument).losses;
        losses.extend(qc::emit::surveyjs::losses(&instrument));
        losses.extend(qc::emit::fhir::questionnaire(&instrument).1);
        let diagnostics: Vec<qc::Diagnostic> =
            losses.into_iter().map(qc::Diagnostic::Export).collect();
        let name = path.file_name().expect("a name").to_string_lossy();
        let code = name.split('-').next().expect("a code");
        assert!(
            !diagnostics.is_empty() && diagnostics.iter().all(|d| d.code_str() == code),
            "{name}: {diagnostics:?}"
        );
        assert!(diagnostics
            .iter()
            .all(|d| d.severity() == qc::Severity::Warning));
        let rendered =
            qc::cli::render_human(&compilation.sources, &diagnostics, qc::cli::Theme::Plain);
        insta::with_settings!({ description => super::read(path), omit_expression => true }, {
            insta::assert_snapshot!(rendered);
        });
    });
}

#[test]
fn each_target_writes_piped_values_and_literal_braces_its_own_way() {
    let source = "instrument braces { title \"Braces\" }
scale sizes { small \"Small, as in {{n}}\" large \"Larger than {n}\" }
section main \"Main\" {
  question cost \"Cost\" : amount
  question n \"How many in ${{x}} and {{y}}?\" : integer
  question m \"Of the {n} cases at {cost}, which size?\" : sizes
}
";
    let instrument = qc::compile(source).instrument.expect("compiles");
    // The JSON form writes the model's parts back as the source wrote them.
    let form = qc::emit::json::to_value(&instrument);
    let m = &form["sections"][0]["content"][2];
    assert_eq!(m["label"], "Of the {n} cases at {cost}, which size?");
    assert_eq!(
        form["sections"][0]["content"][1]["label"],
        "How many in ${{x}} and {{y}}?"
    );
    assert_eq!(
        form["scales"][0]["options"][0]["label"],
        "Small, as in {{n}}"
    );
    // XLSForm: `${name}`, an amount's number in its `_value` field; a brace after `$` is
    // kept from opening a reference by an invisible word joiner.
    let xlsform = qc::emit::xlsform::build(&instrument);
    let label = |name: &str| {
        xlsform
            .survey
            .iter()
            .find(|row| row.name == name)
            .map(|row| row.label.clone())
            .unwrap_or_else(|| panic!("no row {name}"))
    };
    assert_eq!(label("n"), "2. How many in $\u{2060}{x} and {y}?");
    assert_eq!(
        label("m"),
        "3. Of the ${n} cases at ${cost_value}, which size?"
    );
    let choice = |code: &str| {
        xlsform
            .choices
            .iter()
            .find(|choice| choice[1] == code)
            .map(|choice| choice[2].clone())
            .unwrap_or_else(|| panic!("no choice {code}"))
    };
    assert_eq!(choice("small"), "Small, as in {n}");
    assert_eq!(choice("large"), "Larger than ${n}");
    // SurveyJS: `{name}`, an amount's `{name_value}`; every literal brace is joined to a word
    // joiner, since SurveyJS reads `{` as a reference wherever it stands.
    let survey = qc::emit::surveyjs::survey(&instrument);
    let elements = &survey["pages"][0]["elements"];
    assert_eq!(
        elements[1]["title"],
        "2. How many in ${\u{2060}x} and {\u{2060}y}?"
    );
    assert_eq!(
        elements[2]["title"],
        "3. Of the {n} cases at {cost_value}, which size?"
    );
    assert_eq!(
        elements[2]["choices"][0]["text"],
        "Small, as in {\u{2060}n}"
    );
    // FHIR R4 pipes nothing: the text names the item, and the loss is reported.
    let (questionnaire, losses) = qc::emit::fhir::questionnaire(&instrument);
    let items = &questionnaire["item"][0]["item"];
    assert_eq!(items[1]["text"], "How many in ${x} and {y}?");
    assert_eq!(items[2]["text"], "Of the {n} cases at {cost}, which size?");
    let piped: Vec<&str> = losses
        .iter()
        .filter(|loss| loss.what == qc::emit::Lost::Piping)
        .map(|loss| loss.item.as_str())
        .collect();
    assert_eq!(piped, ["cost", "n"]);
}

/// A list whose number of records is an answer is a repeat with `repeat_count`; a fixed
/// number, the same at both ends, too. What `repeat_count` cannot say is a coded loss.
#[test]
fn xlsform_repeats_as_many_records_as_answered() {
    let source = "instrument r { title \"R\" }
section s \"S\" {
  question persons \"Persons\" : integer min 1 max 30
  question members \"Members\" : list max persons {
    field name \"Name\" : text
  }
  question pair \"Two\" : list min 2 max 2 {
    field name \"Name\" : text
  }
  question some \"Some\" : list min 1 max persons {
    field name \"Name\" : text
  }
}
";
    let form = qc::emit::xlsform::build(&qc::compile(source).instrument.expect("compiles"));
    let count = |name: &str| {
        form.survey
            .iter()
            .find(|row| row.name == name && row.kind == "begin_repeat")
            .map(|row| row.repeat_count.clone())
            .unwrap_or_else(|| panic!("no repeat {name}"))
    };
    assert_eq!(count("members"), "${persons}");
    assert_eq!(count("pair"), "2");
    assert_eq!(count("some"), "${persons}");
    let bounded: Vec<&str> = form
        .losses
        .iter()
        .filter(|loss| loss.what == qc::emit::Lost::RecordBounds)
        .map(|loss| loss.item.as_str())
        .collect();
    assert_eq!(bounded, ["some"]);
}

/// `--lang L` gives SurveyJS its `locale`, so that its own strings are in that language; the
/// instrument's own language, English, needs none.
#[test]
fn surveyjs_in_a_language_sets_its_locale() {
    let instrument = crime_prevention();
    assert!(qc::emit::surveyjs::survey(&instrument)
        .get("locale")
        .is_none());
    let french = qc::translate::localize(&instrument, "fr").expect("a French draft");
    assert_eq!(qc::emit::surveyjs::survey(&french)["locale"], "fr");
}

/// Choices are radio buttons or check boxes in a FHIR filler, as on paper, and a grid's rows
/// check boxes: the SDC `itemControl` extension, not a type-ahead drop-down.
#[test]
fn fhir_choices_are_radio_buttons_and_check_boxes() {
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&crime_prevention());
    let text = questionnaire.to_string();
    let control = |code: &str| {
        format!(
            r#""valueCodeableConcept":{{"coding":[{{"system":"http://hl7.org/fhir/questionnaire-item-control","code":"{code}"}}]}}"#
        )
    };
    let radio = text.matches(&control("radio-button")).count();
    let boxes = text.matches(&control("check-box")).count();
    assert!(
        radio > 50 && boxes > 10,
        "{radio} radio buttons, {boxes} check boxes"
    );
}

/// A record field asked only of some records is not required in FHIR, where its condition
/// is not carried: a filler would demand a school for infants.
#[test]
fn fhir_fields_asked_of_some_records_are_not_required() {
    fn find<'v>(value: &'v serde_json::Value, link: &str) -> Option<&'v serde_json::Value> {
        if value["linkId"] == link {
            return Some(value);
        }
        match value {
            serde_json::Value::Object(object) => object.values().find_map(|v| find(v, link)),
            serde_json::Value::Array(values) => values.iter().find_map(|v| find(v, link)),
            _ => None,
        }
    }
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&fixture("records"));
    let required = |link: &str| find(&questionnaire, link).expect(link)["required"].clone();
    assert_eq!(required("members_school"), false);
    assert_eq!(required("members_name"), true);
}

/// The paragraphs a question asks about are shown to the respondent in FHIR, named as on paper
/// with their document: fillers do not show item codes.
#[test]
fn fhir_questions_show_the_paragraphs_they_cite() {
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&crime_prevention());
    let text = questionnaire.to_string();
    assert!(
        text.contains(r#""linkId":"q2_citation","type":"display","text":"Guidelines for the Prevention of Crime, paras. 7 and 17 (b)""#),
        "no citation shown for q2"
    );
}

/// A grid's areas show the paragraphs they cite in FHIR too, after their text.
#[test]
fn fhir_grid_rows_show_the_paragraphs_they_cite() {
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&crime_prevention());
    let text = questionnaire.to_string();
    let at = text
        .find(r#""linkId":"ta_areas_structures""#)
        .expect("the row");
    let row: String = text[at..].chars().take(300).collect();
    assert!(row.contains("(para. "), "{row}");
}

/// Quoted paragraphs keep their breaks in FHIR: a blank line between paragraphs in the plain
/// text, and a `p` for each in the `rendering-xhtml` extension, where their text is never
/// markup.
#[test]
fn fhir_quoted_paragraphs_keep_their_breaks() {
    let source = r#"instrument demo { title "Demo" }
document guidelines "Guidelines" {
  heading "Principles"
  para 7 "Seven <b>bold</b> & more."
  para 8 "Eight:" { (a) "Eight (a)." }
}
scale yes_no { yes "Yes" no "No" }
section main "Main" {
  quote guidelines 7 and 8
  question q1 "Steps?" : yes_no { cites guidelines 7 }
}
"#;
    let instrument = qc::compile(source).instrument.expect("compiles");
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&instrument);
    let quoted = &questionnaire["item"][0]["item"][0];
    assert_eq!(quoted["type"], "display");
    assert_eq!(
        quoted["text"],
        "Principles\n\n7. Seven <b>bold</b> & more.\n\n8. Eight:\n\n(a) Eight (a)."
    );
    let extension = &quoted["_text"]["extension"][0];
    assert_eq!(
        extension["url"],
        "http://hl7.org/fhir/StructureDefinition/rendering-xhtml"
    );
    assert_eq!(
        extension["valueString"],
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p><b>Principles</b></p>\
         <p>7. <i>Seven &lt;b&gt;bold&lt;/b&gt; &amp; more.</i></p><p>8. <i>Eight:</i></p>\
         <p>(a) <i>Eight (a).</i></p></div>"
    );
}

/// A record's field asked only of some records carries its condition in FHIR, over the record
/// at hand (`%record`, the repeating group's SDC variable), and is required where it is asked.
#[test]
fn fhir_record_fields_carry_their_conditions() {
    let (questionnaire, losses) = qc::emit::fhir::questionnaire(&fixture("records"));
    let members = find(&questionnaire, "members").expect("the list");
    let variable = members["extension"]
        .as_array()
        .expect("extensions")
        .iter()
        .find(|e| e["url"] == "http://hl7.org/fhir/StructureDefinition/variable")
        .expect("the record's variable");
    assert_eq!(
        variable["valueExpression"],
        serde_json::json!({ "name": "record", "language": "text/fhirpath", "expression": "%context" })
    );
    let other = find(members, "members_other_language").expect("the field");
    assert_eq!(other["required"], true);
    assert_eq!(
        other["extension"][0]["valueExpression"]["expression"],
        "(%record.item.where(linkId='members_language').answer.value.code = 'other') = true"
    );
    // Only its number of records, read from an answer, is lost.
    let lost: Vec<&qc::emit::Lost> = losses
        .iter()
        .filter(|loss| loss.item == "members")
        .map(|loss| &loss.what)
        .collect();
    assert_eq!(lost, [&qc::emit::Lost::RecordCountFromAnswer]);
}

/// The item with this `linkId`, anywhere under `value`.
fn find<'v>(value: &'v serde_json::Value, link: &str) -> Option<&'v serde_json::Value> {
    if value["linkId"] == link {
        return Some(value);
    }
    value["item"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|item| find(item, link))
}

/// An amount's currency is a choice in every export: XLSForm's `select_one`, SurveyJS's
/// `dropdown`, FHIR's unit options (every ISO 4217 code when the amount names none).
#[test]
fn amounts_offer_their_currencies_as_a_choice() {
    let source = r#"instrument demo { title "Demo" }
section main "Main" {
  question spent "Spent?" : amount in EUR, USD { allow uncited }
  question any "Any?" : amount { allow uncited }
}
"#;
    let instrument = qc::compile(source).instrument.expect("compiles");
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&instrument);
    let spent = find(&questionnaire, "spent").expect("spent");
    let codes: Vec<&str> = spent["extension"]
        .as_array()
        .expect("extensions")
        .iter()
        .filter(|e| e["url"] == "http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption")
        .map(|e| e["valueCoding"]["code"].as_str().expect("a code"))
        .collect();
    assert_eq!(codes, ["EUR", "USD"]);
    let any = find(&questionnaire, "any").expect("any");
    assert_eq!(
        any["extension"][0]["valueCanonical"],
        "http://hl7.org/fhir/ValueSet/currencies"
    );
    let survey = qc::emit::surveyjs::survey(&instrument);
    let panel = &survey["pages"][0]["elements"][0];
    assert_eq!(panel["type"], "panel");
    assert_eq!(panel["elements"][1]["type"], "dropdown");
    assert_eq!(
        panel["elements"][1]["choices"],
        serde_json::json!([
            { "value": "EUR", "text": "EUR (Euro)" },
            { "value": "USD", "text": "USD (United States dollar)" }
        ])
    );
    let every = survey["pages"][0]["elements"][1]["elements"][1]["choices"]
        .as_array()
        .expect("choices")
        .len();
    assert!(every > 150, "{every} currencies");
    let xlsform = qc::emit::xlsform::build(&instrument);
    let currency = xlsform
        .survey
        .iter()
        .find(|row| row.name == "spent_currency")
        .expect("the currency");
    assert_eq!(currency.kind, "select_one spent_currencies");
}

/// A calculated value is kept from the respondent's view unless marked `{ shown }`, in every
/// export.
#[test]
fn calculated_values_are_shown_only_where_marked() {
    let instrument = fixture("calculations");
    let xlsform = qc::emit::xlsform::build(&instrument);
    let note = xlsform
        .survey
        .iter()
        .find(|row| row.name == "women_share_shown")
        .expect("a note shows it");
    assert_eq!(note.kind, "note");
    assert!(note.label.ends_with(": ${women_share}"), "{}", note.label);
    assert!(!xlsform
        .survey
        .iter()
        .any(|row| row.name == "staff_counted_shown"));
    let survey = qc::emit::surveyjs::survey(&instrument);
    let element = |name: &str| {
        survey["pages"]
            .as_array()
            .expect("pages")
            .iter()
            .flat_map(|page| page["elements"].as_array().expect("elements"))
            .find(|element| element["name"] == name)
            .cloned()
            .expect("the element")
    };
    assert_eq!(element("staff_counted")["visible"], false);
    assert!(element("women_share").get("visible").is_none());
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&instrument);
    let hidden = |link: &str| {
        find(&questionnaire, link).expect("the item")["extension"]
            .as_array()
            .expect("extensions")
            .iter()
            .any(|e| e["url"] == "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden")
    };
    assert!(hidden("staff_counted") && !hidden("women_share"));
}

/// A required table is filled in cell by cell in every export, and an optional one is not.
#[test]
fn a_required_tables_cells_are_required_in_every_export() {
    let instrument = fixture("tables");
    let xlsform = qc::emit::xlsform::build(&instrument);
    let required = |name: &str| {
        xlsform
            .survey
            .iter()
            .find(|row| row.name == name)
            .map(|row| row.required.clone())
            .expect("the cell")
    };
    assert_eq!(required("convicted_homicide_men"), "yes");
    assert_eq!(required("budget_national_y2024_value"), "");
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&instrument);
    assert_eq!(
        find(&questionnaire, "convicted_homicide_men").expect("cell")["required"],
        true
    );
    assert_eq!(
        find(&questionnaire, "budget_national_y2024").expect("cell")["required"],
        false
    );
    let survey = qc::emit::surveyjs::survey(&instrument);
    let columns = |name: &str| -> Vec<serde_json::Value> {
        survey["pages"][0]["elements"]
            .as_array()
            .expect("elements")
            .iter()
            .find(|element| element["name"] == name)
            .expect("the table")["columns"]
            .as_array()
            .expect("columns")
            .clone()
    };
    assert!(columns("convicted").iter().all(|c| c["isRequired"] == true));
    assert!(columns("budget")
        .iter()
        .all(|c| c.get("isRequired").is_none()));
}

/// A list field's help is in the form and in every export.
#[test]
fn list_fields_show_their_help() {
    let instrument = fixture("records");
    let form = qc::emit::json::to_value(&instrument);
    assert!(form
        .to_string()
        .contains(r#""help":["In completed years: a baby is 0."]"#));
    let xlsform = qc::emit::xlsform::build(&instrument);
    let age = xlsform
        .survey
        .iter()
        .find(|row| row.name == "members_age")
        .expect("the field");
    assert_eq!(age.hint, "In completed years: a baby is 0.");
    let survey = qc::emit::surveyjs::survey(&instrument).to_string();
    assert!(survey.contains(r#""description":"In completed years: a baby is 0.""#));
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&instrument);
    let help = find(&questionnaire, "members_age_help_1").expect("a display item");
    assert_eq!(help["type"], "display");
}

/// An aggregate over the records that meet a condition is written in each target's own way,
/// each reading the record's fields where that target applies the condition; `unique` is
/// FHIRPath's `isDistinct`, and a loss where the target cannot compare records.
#[test]
fn filtered_aggregates_and_unique_rules_reach_every_target() {
    let source = r#"instrument f { title "F" }
scale kinds { shelter "Shelter" other "Other" }
section main "Main" {
  question services "Services" : list {
    field kind "Kind" : kinds
    field staff "Staff" : integer
    field cost "Cost" : amount
    field name "Name" : text
  } {
    allow uncited
    check unique(services.name) else warning "Each service once"
  }
  calc shelters "Shelters" = count(services where this.kind = shelter)
  calc staff "Staff" = sum(services.staff where this.kind = shelter)
  calc quoted "Quoted" = count(services where this.name = "Women's shelter")
}
"#;
    let instrument = qc::compile(source).instrument.expect("compiles");
    let xlsform = qc::emit::xlsform::build(&instrument);
    let calculation = |name: &str| calculation_of(&xlsform, name);
    assert!(
        calculation("shelters")
            .contains("count(${services}[services_kind != '' and services_kind = 'shelter'])"),
        "{}",
        calculation("shelters")
    );
    assert!(
        calculation("staff").contains(
            "${services}[services_kind != '' and services_kind = 'shelter']/services_staff"
        ),
        "{}",
        calculation("staff")
    );
    let lost = |losses: &[qc::emit::Loss], what: qc::emit::Lost| {
        losses.iter().any(|loss| loss.what == what)
    };
    assert!(lost(&xlsform.losses, qc::emit::Lost::Unique));
    let surveyjs = qc::emit::surveyjs::to_string(&instrument);
    assert!(
        surveyjs
            .contains("countInArray({services}, 'kind', {kind} notempty and {kind} = 'shelter')"),
        "{surveyjs}"
    );
    assert!(surveyjs
        .contains("sumInArray({services}, 'staff', {kind} notempty and {kind} = 'shelter')"));
    let losses = qc::emit::surveyjs::losses(&instrument);
    assert!(lost(&losses, qc::emit::Lost::Unique));
    assert!(lost(&losses, qc::emit::Lost::FilterQuote));
    let (questionnaire, losses) = qc::emit::fhir::questionnaire(&instrument);
    assert!(!lost(&losses, qc::emit::Lost::Unique));
    let fhir = questionnaire.to_string();
    assert!(fhir.contains(
        "%resource.repeat(item).where(linkId='services').where(($this.item.where(linkId='services_kind').answer.value.code = 'shelter') = true).count()"
    ), "{fhir}");
    assert!(fhir.contains(
        "%resource.repeat(item).where(linkId='services').item.where(linkId='services_name').answer.value.isDistinct()"
    ));
}

/// A value computed in each record is computed inside the record by every target, from the
/// record's own fields, and kept from view unless marked shown.
#[test]
fn values_computed_in_records_reach_every_target() {
    let source = r#"instrument f { title "F" }
section main "Main" {
  question people "People" : list {
    field born "Born" : date
    calc age "Age" = years(this.born, today()) { shown }
    calc minor "Minor" = if(this.age < 18, 1, 0)
  } { allow uncited }
}
"#;
    let instrument = qc::compile(source).instrument.expect("compiles");
    let xlsform = qc::emit::xlsform::build(&instrument);
    let row = |name: &str| {
        xlsform
            .survey
            .iter()
            .find(|row| row.name == name)
            .cloned()
            .unwrap_or_else(|| panic!("no row {name}"))
    };
    let (repeat, minor) = (
        xlsform.survey.iter().position(|r| r.kind == "begin_repeat"),
        xlsform.survey.iter().position(|r| r.name == "people_minor"),
    );
    assert!(repeat < minor && minor.is_some(), "inside the repeat");
    assert_eq!(row("people_minor").kind, "calculate");
    assert!(row("people_minor")
        .calculation
        .contains("${people_age} < 18"));
    assert_eq!(row("people_age_shown").label, "Age: ${people_age}");
    let survey = qc::emit::surveyjs::survey(&instrument);
    let template = &survey["pages"][0]["elements"][0]["templateElements"];
    assert_eq!(template[1]["type"], "expression");
    assert_eq!(template[1].get("visible"), None);
    assert_eq!(template[2]["visible"], false);
    assert!(template[2]["expression"]
        .as_str()
        .is_some_and(|e| e.contains("{panel.age} < 18")));
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&instrument);
    let fields = &questionnaire["item"][0]["item"][0]["item"];
    assert_eq!(fields[2]["readOnly"], true);
    let text = fields[2].to_string();
    assert!(
        text.contains("sdc-questionnaire-calculatedExpression"),
        "{text}"
    );
    assert!(
        text.contains("%record.item.where(linkId='people_age')"),
        "{text}"
    );
    assert!(text.contains("questionnaire-hidden"), "{text}");
}

/// `; missing none` makes every target's aggregate have no value while one of its values has
/// none, and an `if` has none while what its condition tests has none.
#[test]
fn missing_values_propagate_in_every_target() {
    let source = r#"instrument f { title "F" }
scale yes_no { yes "Yes" no "No" }
section main "Main" {
  question men "Men" : integer { allow uncited }
  question women "Women" : integer { allow uncited }
  question q5 "Q5" : yes_no { allow uncited }
  question people "People" : list { field age "Age" : integer } { allow uncited }
  calc both "Both" = sum(men, women; missing none)
  calc ages "Ages" = sum(people.age; missing none)
  calc score "Score" = if(q5 = yes, 1, 0)
}
"#;
    let instrument = qc::compile(source).instrument.expect("compiles");
    let xlsform = qc::emit::xlsform::build(&instrument);
    let calculation = |name: &str| calculation_of(&xlsform, name);
    assert!(calculation("both").starts_with("if(${men} != '' and ${women} != '', "));
    assert!(calculation("ages").starts_with(
        "if(count(${people}) = count(${people_age}[. != '']), sum(${people_age}[. != ''])"
    ));
    assert!(calculation("score").starts_with("if(${q5} != '', if("));
    let surveyjs = qc::emit::surveyjs::to_string(&instrument);
    assert!(
        surveyjs.contains("iif({men} notempty and {women} notempty, "),
        "{surveyjs}"
    );
    assert!(surveyjs.contains(
        "iif({people} empty or countInArray({people}, 'age') = {people.length}, sumInArray({people}, 'age'), '')"
    ));
    let fhir = qc::emit::fhir::questionnaire(&instrument).0.to_string();
    assert!(
        fhir.contains(
            "iif((%resource.repeat(item).where(linkId='men').answer.value).exists() and "
        ),
        "{fhir}"
    );
    assert!(
        fhir.contains("iif(%resource.repeat(item).where(linkId='q5').answer.value.exists(), iif("),
        "{fhir}"
    );
}

/// A cell of a table is read where each target keeps it.
#[test]
fn cells_of_tables_are_read_in_every_target() {
    let source = r#"instrument f { title "F" }
section main "Main" {
  table convicted "Convicted" : integer {
    row all "All"
    column men "Men"
    column women "Women"
    check convicted.all.women <= convicted.all.men else warning "Check"
  }
  calc share "Share" = convicted.all.women * 100 / convicted.all.men
}
"#;
    let instrument = qc::compile(source).instrument.expect("compiles");
    let form = qc::emit::json::to_value(&instrument).to_string();
    assert!(form.contains(r#"{"var":"convicted.all.women"}"#), "{form}");
    let xlsform = qc::emit::xlsform::build(&instrument);
    assert!(xlsform
        .survey
        .iter()
        .any(|row| row.calculation.contains("${convicted_all_women} * 100")));
    let surveyjs = qc::emit::surveyjs::to_string(&instrument);
    assert!(
        surveyjs.contains("{convicted.all.women} * 100"),
        "{surveyjs}"
    );
    let fhir = qc::emit::fhir::questionnaire(&instrument).0.to_string();
    assert!(fhir.contains("where(linkId='convicted_all_women').answer.value * 100"));
    assert!(fhir.contains(r#""valueCode":"warning""#), "{fhir}");
}

/// Scores travel with their options (FHIR `ordinalValue`), and `score` and `band` are computed
/// in each target's own expressions.
#[test]
fn scores_and_bands_reach_every_target() {
    let path = super::root().join("tests/fixtures/pass/scores.q");
    let instrument = super::compile_clean(&path);
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&instrument);
    let fhir = questionnaire.to_string();
    assert!(fhir.contains(
        r#"{"valueCoding":{"code":"always","display":"Always","extension":[{"url":"http://hl7.org/fhir/StructureDefinition/ordinalValue","valueDecimal":3.0}]}}"#
    ), "{fhir}");
    assert!(fhir.contains(
        "iif(%resource.repeat(item).where(linkId='unsafe_day').answer.value.code = 'never', 0"
    ));
    let xlsform = qc::emit::xlsform::build(&instrument);
    let calculation = |name: &str| calculation_of(&xlsform, name);
    assert!(calculation("fear").contains("if(selected(${avoided}, 'streets'), 2, 0)"));
    assert!(calculation("fear_level").contains("if(${fear} != '' and ${fear} < 3, 'low', if(${fear} != '' and ${fear} < 6, 'moderate', 'high'))"), "{}", calculation("fear_level"));
    let surveyjs = qc::emit::surveyjs::to_string(&instrument);
    assert!(
        surveyjs.contains("iif({avoided} contains 'parks', 1, 0)"),
        "{surveyjs}"
    );
}

/// The `calculation` of an XLSForm row, by name; empty when there is none.
fn calculation_of(xlsform: &qc::emit::xlsform::XlsForm, name: &str) -> String {
    xlsform
        .survey
        .iter()
        .find(|row| row.name == name)
        .map(|row| row.calculation.clone())
        .unwrap_or_default()
}

/// A list's own rule that its records differ in a field, at error severity, is SurveyJS's
/// `keyName`, which refuses duplicates with the rule's message; as a warning it is a loss.
#[test]
fn unique_errors_are_surveyjs_keys() {
    let source = |severity: &str| {
        format!(
            "instrument f {{ title \"F\" }}\nsection main \"Main\" {{\n  question people \"People\" : list {{ field name \"Name\" : text }} {{\n    allow uncited\n    check unique(people.name) else {severity} \"Each person once\"\n  }}\n}}\n"
        )
    };
    let instrument = qc::compile(&source("error")).instrument.expect("compiles");
    let survey = qc::emit::surveyjs::survey(&instrument);
    let people = &survey["pages"][0]["elements"][0];
    assert_eq!(people["keyName"], "name");
    assert_eq!(people["keyDuplicationError"], "Each person once");
    assert_eq!(people.get("validators"), None);
    assert!(qc::emit::surveyjs::losses(&instrument).is_empty());
    let instrument = qc::compile(&source("warning"))
        .instrument
        .expect("compiles");
    assert!(qc::emit::surveyjs::losses(&instrument)
        .iter()
        .any(|loss| loss.what == qc::emit::Lost::Unique));
}

/// SurveyJS counts a list's records as its panels, whichever fields they fill in.
#[test]
fn surveyjs_counts_records_as_panels() {
    let source = "instrument c { title \"C\" }\nsection main \"Main\" {\n  question notes \"Notes\" : list { field text \"Text\" : text optional } { allow uncited }\n  calc n \"N\" = count(notes) { shown }\n}\n";
    let instrument = qc::compile(source).instrument.expect("compiles");
    let survey = qc::emit::surveyjs::to_string(&instrument);
    assert!(
        survey.contains("iif({notes} empty, 0, {notes.length})"),
        "{survey}"
    );
}

/// Amounts compute with their value, in one currency, in every target; FHIR says a condition
/// on an amount as an expression, since `enableWhen` would compare a `Quantity` with a number.
#[test]
fn amounts_compare_in_one_currency_in_every_target() {
    let path = super::root().join("tests/fixtures/pass/money.q");
    let instrument = super::compile_clean(&path);
    let form = qc::emit::json::to_value(&instrument).to_string();
    assert!(form.contains(
        r#"{"==":[{"var":"foreign.currency"},{"var":"cost.currency"}]},{"<=":[{"var":"foreign.value"},{"var":"cost.value"}]}"#
    ), "{form}");
    let xlsform = qc::emit::xlsform::build(&instrument);
    assert!(xlsform.survey.iter().any(|row| row
        .relevant
        .contains("${foreign_currency} = ${cost_currency} and ${foreign_value} <= ${cost_value}")));
    let surveyjs = qc::emit::surveyjs::to_string(&instrument);
    assert!(
        surveyjs.contains(
            "{own_currency} = {foreign_currency} and ({own_value} * 2) >= {foreign_value}"
        ),
        "{surveyjs}"
    );
    let (questionnaire, _) = qc::emit::fhir::questionnaire(&instrument);
    let fhir = questionnaire.to_string();
    assert!(
        fhir.contains(
            "(%resource.repeat(item).where(linkId='cost').answer.value.value > 1000000) = true"
        ),
        "{fhir}"
    );
    assert!(!fhir.contains("answerDecimal"), "{fhir}");
}
