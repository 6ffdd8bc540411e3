//! The report as Markdown: headings, tables of counts with their base, the texts gathered with
//! who wrote them, and each grid's boxes with the respondents who ticked them.

use std::fmt::Write;

use super::{figure, percent, ItemReport, Report, Summary};

/// A text from the instrument or a reply, as Markdown shows it and nothing more: markup and
/// Markdown's own signs escaped, a line break (which would end a table's cell) a space.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn summary(out: &mut String, title: &str, s: &Summary) {
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |",
        cell(title),
        s.n,
        figure(s.min),
        figure(s.median),
        figure(s.max),
        figure(s.sum)
    );
}

/// What respondents said, a line each, with who said it.
fn said(out: &mut String, said: &[super::Said]) {
    for one in said {
        let _ = writeln!(out, "- **{}**: {}", cell(&one.respondent), cell(&one.text));
    }
}

/// What a heading writes before an item's label: `1. ` for a numbered question, `1 · q1_steps — `
/// for what is under it.
fn numbered(number: Option<&str>) -> String {
    match number {
        Some(n) if n.contains('·') => format!("{} — ", cell(n)),
        Some(n) => format!("{}. ", cell(n)),
        None => String::new(),
    }
}

pub fn to_string(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", cell(&report.instrument.title));
    let _ = writeln!(out, "*{}*\n", report.statement);
    let _ = writeln!(out, "## Who replied\n");
    let _ = writeln!(out, "{} replies.\n", report.replies);
    if let Some(recipients) = &report.recipients {
        let _ = writeln!(
            out,
            "The instrument was sent to {}; {} replied.\n",
            recipients.sent, recipients.replied
        );
        if !recipients.not_replied.is_empty() {
            let names: Vec<String> = recipients.not_replied.iter().map(|n| cell(n)).collect();
            let _ = writeln!(out, "No reply from: {}.\n", names.join(", "));
        }
        if !recipients.not_listed.is_empty() {
            let names: Vec<String> = recipients.not_listed.iter().map(|n| cell(n)).collect();
            let _ = writeln!(
                out,
                "Replies from respondents not on the list: {}.\n",
                names.join(", ")
            );
        }
    }
    if let Some(first) = report.respondents.iter().find(|r| !r.answers.is_empty()) {
        let _ = write!(out, "| reply |");
        for answer in &first.answers {
            let _ = write!(out, " {} |", cell(&answer.label));
        }
        let _ = writeln!(out, "\n|---|{}", "---|".repeat(first.answers.len()));
        for respondent in &report.respondents {
            let _ = write!(out, "| {} |", cell(&respondent.reply));
            for column in &first.answers {
                let value = respondent
                    .answers
                    .iter()
                    .find(|a| a.item == column.item)
                    .map_or("", |a| a.value.as_str());
                let _ = write!(out, " {} |", cell(value));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if let Some(grouping) = &report.grouping {
        let _ = writeln!(
            out,
            "Respondents are grouped by the UN M49 {} of their answer to `{}` (source: {}).\n",
            grouping.by,
            cell(&grouping.item),
            cell(grouping.source)
        );
        let _ = writeln!(
            out,
            "| {} | replies | respondents |\n|---|---|---|",
            grouping.by
        );
        for group in &grouping.groups {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&group.name),
                group.replies,
                cell(&group.respondents.join(", "))
            );
        }
        out.push('\n');
    }
    for section in &report.sections {
        let _ = writeln!(out, "## {}. {}\n", section.number, cell(&section.title));
        let level = report.grouping.as_ref().map_or("", |g| g.by);
        for item in &section.items {
            item_section(&mut out, item, level);
        }
    }
    for heading in &report.headings {
        let _ = writeln!(out, "## {}\n", cell(&heading.title));
        if heading.items.is_empty() {
            let _ = writeln!(out, "No question of the instrument feeds this heading.\n");
        }
        for item in &heading.items {
            let number = numbered(item.number.as_deref());
            let _ = writeln!(out, "### {number}{}\n", cell(&item.label));
            if item.said.is_empty() {
                let _ = writeln!(out, "No answer.\n");
            }
            said(&mut out, &item.said);
            out.push('\n');
        }
    }
    if let Some(providers) = &report.providers {
        let _ = writeln!(out, "## Needs and offers\n");
        let _ = writeln!(
            out,
            "With {} replies to “{}” from: {}.\n",
            providers.replies,
            cell(&providers.instrument.title),
            cell(&providers.respondents.join(", "))
        );
        if providers.matched.is_empty() {
            let _ = writeln!(
                out,
                "No grid of the two instruments uses the same named rows.\n"
            );
        }
        for matched in &providers.matched {
            let number = numbered(matched.number.as_deref());
            let _ = writeln!(out, "### {number}{}\n", cell(&matched.label));
            grid_tables(&mut out, &matched.grid);
        }
    }
    if !report.coverage.is_empty() {
        let _ = writeln!(out, "## Paragraphs cited\n");
        let _ = writeln!(
            out,
            "| document | paragraph | questions | respondents who answered |\n|---|---|---|---|"
        );
        for c in &report.coverage {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&c.title),
                cell(&c.paragraph),
                cell(&c.printed.join(", ")),
                c.respondents
            );
        }
        out.push('\n');
    }
    out
}

fn item_section(out: &mut String, item: &ItemReport, level: &str) {
    let number = numbered(item.number.as_deref());
    let _ = writeln!(out, "### {number}{}\n", cell(&item.label));
    let _ = writeln!(
        out,
        "Asked of {} {}, answered by {}; base: {}.\n",
        item.asked,
        if item.asked == 1 { "reply" } else { "replies" },
        item.answered,
        item.base
    );
    if !item.options.is_empty() || !item.specials.is_empty() {
        let _ = writeln!(
            out,
            "| answer | replies | share of the base |\n|---|---|---|"
        );
        for count in item.options.iter().chain(&item.specials) {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&count.label),
                count.count,
                percent(count.share)
            );
        }
        out.push('\n');
    }
    if item.numbers.is_some() || !item.amounts.is_empty() {
        let _ = writeln!(
            out,
            "| | n | min | median | max | sum |\n|---|---|---|---|---|---|"
        );
        if let Some(numbers) = &item.numbers {
            summary(out, "", numbers);
        }
        for (currency, s) in &item.amounts {
            summary(out, currency, s);
        }
        out.push('\n');
    }
    if let Some((header, rows)) = super::group_table(item, level) {
        let _ = writeln!(out, "By {level}:\n");
        let heads: Vec<String> = header.iter().map(|h| cell(h)).collect();
        let _ = writeln!(out, "| {} |", heads.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
        for row in rows {
            let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    if let Some(grid) = &item.grid {
        grid_tables(out, grid);
    }
    if !item.texts.is_empty() {
        said(out, &item.texts);
        out.push('\n');
    }
    if let Some(records) = item.records {
        let _ = writeln!(out, "{records} records in all.\n");
    }
}

/// A grid's boxes, a row each with who ticked them, then what its rows in words were answered.
fn grid_tables(out: &mut String, grid: &super::GridReport) {
    let _ = write!(out, "| |");
    for column in &grid.columns {
        let _ = match &column.source {
            Some(source) => write!(out, " {} ({}) |", cell(&column.label), cell(source)),
            None => write!(out, " {} |", cell(&column.label)),
        };
    }
    let _ = writeln!(out, "\n|---|{}", "---|".repeat(grid.columns.len()));
    for row in grid.rows.iter().filter(|row| !row.ticked.is_empty()) {
        let _ = write!(out, "| {} {} |", row.marker, cell(&row.label));
        for ticked in &row.ticked {
            let names = if ticked.is_empty() {
                "—".to_owned()
            } else {
                format!("{}: {}", ticked.len(), ticked.join(", "))
            };
            let _ = write!(out, " {} |", cell(&names));
        }
        out.push('\n');
    }
    out.push('\n');
    for row in grid.rows.iter().filter(|row| !row.texts.is_empty()) {
        let _ = writeln!(out, "{} {}\n", row.marker, cell(&row.label));
        said(out, &row.texts);
        out.push('\n');
    }
}
