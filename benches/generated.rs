//! Generated instruments for the benchmarks: `questions` questions with conditions and
//! citations, shaped like the bundled instrument.

use std::fmt::Write;

/// An instrument of `questions` questions in sections of 100: each a yes/no question citing a
/// paragraph, with a follow-up on "yes"; every third has two lettered sub-items; every fifth is
/// asked only on the answers to the two before it.
pub fn generate(questions: usize) -> String {
    let mut out = String::from(
        "instrument generated { title \"Generated\" }\nscale yes_no { yes \"Yes\" no \"No\" }\n",
    );
    out.push_str("document guidelines \"Guidelines\" {\n");
    for paragraph in 1..=50 {
        let _ = writeln!(
            out,
            "  para {paragraph} \"Paragraph {paragraph}.\" {{ (a) \"First.\" (b) \"Second.\" }}"
        );
    }
    out.push_str("}\n");
    for q in 1..=questions {
        if q % 100 == 1 {
            if q > 1 {
                out.push_str("}\n");
            }
            let _ = writeln!(out, "section s{q} \"Section from {q}\" {{");
        }
        let condition = if q % 5 == 0 {
            format!(" when q{} = yes or q{} = no", q - 1, q - 2)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  question q{q} \"Question number {q}?\" : yes_no{condition} {{\n    cites guidelines {} (a) and {}",
            q % 50 + 1,
            (q + 7) % 50 + 1
        );
        if q % 3 == 0 {
            let _ = writeln!(out, "    item q{q}a \"First part of {q}?\" : yes_no");
            let _ = writeln!(
                out,
                "    item q{q}b \"Second part of {q}?\" : yes_no when q{q}a = yes"
            );
        }
        let _ = writeln!(
            out,
            "    followup q{q}_details \"If the answer is “Yes”, please specify.\" : long_text on yes\n  }}"
        );
    }
    out.push_str("}\n");
    out
}

/// An instrument of `questions` number questions in sections of 100, with the logic of
/// statistical questionnaires: each number allows "not available" and has a constraint; every
/// tenth is a calculated sum of the nine before it (a total of all nine or none), which the
/// next question's condition reads; each section ends with a table of offences by sex whose
/// totals are checked and whose cells a rule and a value read, a list whose records have a
/// conditional field, a computed field and a constraint, with rules and values over the
/// records that meet a condition, a scored question banded into a scale, and amounts computed
/// with (a difference, a sum over records of amounts computed in each, a maximum).
#[allow(dead_code)]
pub fn generate_logic(questions: usize) -> String {
    let mut out = String::from(
        "instrument generated_logic { title \"Generated logic\" }\nspecial not_available \"Not available\"\nscale often { never \"Never\" = 0 sometimes \"Sometimes\" = 1 often \"Often\" = 2 }\nscale level { low \"Low\" high \"High\" }\n",
    );
    for q in 1..=questions {
        if q % 100 == 1 {
            if q > 1 {
                out.push_str("}\n");
            }
            let _ = writeln!(out, "section s{q} \"Section from {q}\" {{");
        }
        if q % 10 == 0 {
            let parts: Vec<String> = (q - 9..q).map(|p| format!("n{p}")).collect();
            let _ = writeln!(
                out,
                "  calc n{q} \"Sum to {q}\" = sum({}; missing none)",
                parts.join(", ")
            );
            continue;
        }
        let condition = if q % 10 == 1 && q > 10 {
            format!(" when n{} > 100", q - 1)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  question n{q} \"Count number {q}?\" : integer min 0{condition} {{\n    allow not_available\n    check n{q} <= 100000 else warning \"A large count\"\n  }}"
        );
        if q % 100 == 55 {
            let _ = writeln!(
                out,
                "  table t{q} \"Offences by sex\" : integer min 0 {{\n    row homicide \"Homicide\"\n    row assault \"Assault\"\n    total row all \"All\"\n    column men \"Men\"\n    column women \"Women\"\n    total column both \"Both\"\n    allow not_available\n    optional\n    check t{q}.all.women <= t{q}.all.men else warning \"More women\"\n  }}\n  calc share{q} \"Share of women\" = t{q}.all.women * 100 / t{q}.all.both"
            );
            let _ = writeln!(
                out,
                "  question l{q} \"Programmes\" : list max 20 {{\n    field kind \"Kind\" : one of {{ national \"National\" local \"Local\" }}\n    field town \"Town\" : text when this.kind = local\n    field staff \"Staff\" : integer min 0\n    calc large \"Large\" = if(this.staff > 100, 1, 0)\n    check this.staff < 1000 else warning \"A large programme\"\n  }} {{\n    optional\n    check unique(l{q}.town) else warning \"A town twice\"\n    check count(l{q} where this.large = 1) <= 5 else warning \"Many large programmes\"\n  }}\n  calc local{q} \"Staff of local programmes\" = sum(l{q}.staff where this.kind = local; missing none)"
            );
            let _ = writeln!(
                out,
                "  question f{q} \"How often?\" : often\n  calc score{q} \"Score\" = score(f{q})\n  calc fear{q} \"Fear\" = band(score{q}, level, 2)"
            );
            let _ = writeln!(
                out,
                "  question c{q} \"Cost\" : amount\n  question d{q} \"Debt\" : amount {{\n    optional\n    check d{q} <= c{q} else warning \"More debt than cost\"\n  }}\n  question b{q} \"Budget lines\" : list max 20 {{\n    field unit \"Unit cost\" : amount\n    field units \"Units\" : integer min 1\n    calc spent \"Spent\" = this.unit * this.units\n  }} {{\n    optional\n  }}\n  calc net{q} \"Net\" = c{q} - d{q}\n  calc spent{q} \"Spent on the lines\" = sum(b{q}.spent)\n  calc top{q} \"Larger of cost and debt\" = max(c{q}, d{q})"
            );
        }
    }
    out.push_str("}\n");
    out
}
