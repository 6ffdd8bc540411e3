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
