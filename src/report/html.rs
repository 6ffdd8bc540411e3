//! The report as one HTML page: the same as the Markdown, with a bar chart (inline SVG) beside
//! each table of shares and the grids as tables of who ticked what. It requests nothing: its
//! content security policy allows no source but the page itself, and it has no script.

use std::fmt::Write;

use super::{figure, percent, Count, ItemReport, Report, Summary};
use crate::emit::html_escape as escape;

const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE: &str = "body{margin:0;font:16px/1.5 system-ui,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;color:#1a1a1a}\
main{max-width:64rem;margin:0 auto;padding:1rem 1.25rem 4rem}\
h2{border-bottom:2px solid #1a1a1a;margin-top:2.5rem}h3{font-size:1.05rem;margin-top:1.8rem}\
.statement{border-inline-start:4px solid #0b57d0;padding:.3rem .8rem;background:#f3f6fc}\
.base{color:#444}table{border-collapse:collapse;margin:.5rem 0}\
th,td{border:1px solid #c8c8c8;padding:.25rem .5rem;text-align:start;vertical-align:top}\
td.n{text-align:end;font-variant-numeric:tabular-nums}\
.figure{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}\
svg text{font:12px system-ui,sans-serif;fill:#1a1a1a}\
ul.said{padding-inline-start:1.2rem}caption{text-align:start;font-weight:600;padding:.2rem 0}\
@media print{h2,h3{break-after:avoid}table,svg{break-inside:avoid}}";

/// The width of a bar at 100%.
const BAR: f64 = 240.0;

pub fn to_string(report: &Report) -> String {
    let mut out = String::new();
    let title = escape(&report.instrument.title);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Report: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>{title}</h1>\n<p class=\"statement\">{}</p>\n",
        escape(report.statement)
    );
    let _ = write!(
        out,
        "<h2 id=\"who\">Who replied</h2>\n<p>{} replies.</p>\n",
        report.replies
    );
    if let Some(recipients) = &report.recipients {
        let _ = writeln!(
            out,
            "<p>The instrument was sent to {}; {} replied.</p>",
            recipients.sent, recipients.replied
        );
        if !recipients.not_replied.is_empty() {
            let _ = writeln!(
                out,
                "<p>No reply from: {}.</p>",
                escape(&recipients.not_replied.join(", "))
            );
        }
        if !recipients.not_listed.is_empty() {
            let _ = writeln!(
                out,
                "<p>Replies from respondents not on the list: {}.</p>",
                escape(&recipients.not_listed.join(", "))
            );
        }
    }
    if let Some(first) = report.respondents.iter().find(|r| !r.answers.is_empty()) {
        out.push_str(
            "<table>\n<caption>Respondents</caption>\n<thead><tr><th scope=\"col\">Reply</th>",
        );
        for answer in &first.answers {
            let _ = write!(out, "<th scope=\"col\">{}</th>", escape(&answer.label));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for respondent in &report.respondents {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th>",
                escape(&respondent.reply)
            );
            for column in &first.answers {
                let value = respondent
                    .answers
                    .iter()
                    .find(|a| a.item == column.item)
                    .map_or("", |a| a.value.as_str());
                let _ = write!(out, "<td>{}</td>", escape(value));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if let Some(grouping) = &report.grouping {
        let _ = writeln!(
            out,
            "<p>Respondents are grouped by the UN M49 {} of their answer to <code>{}</code> (source: {}).</p>\n\
             <table>\n<caption>Respondents by {}</caption>\n<thead><tr><th scope=\"col\">{}</th>\
             <th scope=\"col\">Replies</th><th scope=\"col\">Respondents</th></tr></thead>\n<tbody>",
            grouping.by,
            escape(&grouping.item),
            escape(grouping.source),
            grouping.by,
            grouping.by
        );
        for group in &grouping.groups {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td>{}</td></tr>",
                escape(&group.name),
                group.replies,
                escape(&group.respondents.join(", "))
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    let level = report.grouping.as_ref().map_or("", |g| g.by);
    for section in &report.sections {
        let _ = writeln!(
            out,
            "<section id=\"section-{}\">\n<h2>{}. {}</h2>",
            escape(&section.id),
            escape(&section.number),
            escape(&section.title)
        );
        for item in &section.items {
            item_html(&mut out, item, level);
        }
        out.push_str("</section>\n");
    }
    for heading in &report.headings {
        let _ = writeln!(
            out,
            "<section id=\"heading-{}\">\n<h2>{}</h2>",
            escape(&heading.id),
            escape(&heading.title)
        );
        if heading.items.is_empty() {
            out.push_str("<p>No question of the instrument feeds this heading.</p>\n");
        }
        for item in &heading.items {
            let number = item
                .number
                .as_deref()
                .map_or(String::new(), |n| format!("{} ", escape(n)));
            let _ = writeln!(out, "<h3>{number}{}</h3>", escape(&item.label));
            if item.said.is_empty() {
                out.push_str("<p>No answer.</p>\n");
                continue;
            }
            said(&mut out, &item.said);
        }
        out.push_str("</section>\n");
    }
    if let Some(providers) = &report.providers {
        let _ = writeln!(
            out,
            "<section id=\"offers\">\n<h2>Needs and offers</h2>\n<p>With {} replies to “{}” from: {}.</p>",
            providers.replies,
            escape(&providers.instrument.title),
            escape(&providers.respondents.join(", "))
        );
        if providers.matched.is_empty() {
            out.push_str("<p>No grid of the two instruments uses the same named rows.</p>\n");
        }
        for matched in &providers.matched {
            let printed = matched
                .number
                .as_deref()
                .map_or(String::new(), |n| format!("{} ", escape(n)));
            let _ = writeln!(
                out,
                "<article class=\"item\" id=\"offers-{}\">\n<h3>{printed}{}</h3>",
                escape(&matched.item),
                escape(&matched.label)
            );
            grid_html(&mut out, &matched.label, &matched.grid);
            out.push_str("</article>\n");
        }
        out.push_str("</section>\n");
    }
    if !report.coverage.is_empty() {
        out.push_str(
            "<h2 id=\"cited\">Paragraphs cited</h2>\n<table>\n<thead><tr><th scope=\"col\">Document</th>\
             <th scope=\"col\">Paragraph</th><th scope=\"col\">Questions</th>\
             <th scope=\"col\">Respondents who answered</th></tr></thead>\n<tbody>\n",
        );
        // Each question links to what the respondents answered it.
        let shown: std::collections::HashSet<&str> = report
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .map(|item| item.id.as_str())
            .collect();
        for c in &report.coverage {
            let questions: Vec<String> = c
                .items
                .iter()
                .zip(&c.printed)
                .map(|(id, printed)| match shown.contains(id.as_str()) {
                    true => format!("<a href=\"#item-{}\">{}</a>", escape(id), escape(printed)),
                    false => escape(printed),
                })
                .collect();
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                escape(&c.title),
                escape(&c.paragraph),
                questions.join(", "),
                c.respondents
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn item_html(out: &mut String, item: &ItemReport, level: &str) {
    let printed = item
        .number
        .as_deref()
        .map_or(String::new(), |n| format!("{} ", escape(n)));
    let _ = writeln!(
        out,
        "<article class=\"item\" id=\"item-{}\">\n<h3>{printed}{}</h3>\n<p class=\"base\">Asked of {} {}, answered by {}; base: {}.</p>",
        escape(&item.id),
        escape(&item.label),
        item.asked,
        if item.asked == 1 { "reply" } else { "replies" },
        item.answered,
        item.base
    );
    if !item.options.is_empty() || !item.specials.is_empty() {
        let counts: Vec<&Count> = item.options.iter().chain(&item.specials).collect();
        out.push_str("<div class=\"figure\">\n<table>\n<thead><tr><th scope=\"col\">Answer</th><th scope=\"col\">Replies</th><th scope=\"col\">Share of the base</th></tr></thead>\n<tbody>\n");
        for count in &counts {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&count.label),
                count.count,
                percent(count.share)
            );
        }
        out.push_str("</tbody>\n</table>\n");
        chart(out, &item.label, &counts);
        out.push_str("</div>\n");
    }
    if item.numbers.is_some() || !item.amounts.is_empty() {
        out.push_str("<table>\n<thead><tr><th scope=\"col\"></th><th scope=\"col\">n</th><th scope=\"col\">Min</th><th scope=\"col\">Median</th><th scope=\"col\">Max</th><th scope=\"col\">Sum</th></tr></thead>\n<tbody>\n");
        let row = |out: &mut String, title: &str, s: &Summary| {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(title),
                s.n,
                figure(s.min),
                figure(s.median),
                figure(s.max),
                figure(s.sum)
            );
        };
        if let Some(numbers) = &item.numbers {
            row(out, "All", numbers);
        }
        for (currency, s) in &item.amounts {
            row(out, currency, s);
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if let Some((header, rows)) = super::group_table(item, level) {
        let _ = write!(
            out,
            "<table class=\"by-group\">\n<caption>By {level}</caption>\n<thead><tr>"
        );
        for head in &header {
            let _ = write!(out, "<th scope=\"col\">{}</th>", escape(head));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            let mut cells = row.iter();
            if let Some(group) = cells.next() {
                let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(group));
            }
            for value in cells {
                let _ = write!(out, "<td class=\"n\">{}</td>", escape(value));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if let Some(grid) = &item.grid {
        grid_html(out, &item.label, grid);
    }
    if !item.texts.is_empty() {
        said(out, &item.texts);
    }
    if let Some(records) = item.records {
        let _ = writeln!(out, "<p>{records} records in all.</p>");
    }
    out.push_str("</article>\n");
}

/// A grid: its matrix, the table of who ticked each box, then what its rows in words were
/// answered.
fn grid_html(out: &mut String, title: &str, grid: &super::GridReport) {
    matrix(out, title, grid);
    out.push_str("<table class=\"grid\">\n<thead><tr><td></td>");
    for column in &grid.columns {
        let _ = match &column.source {
            Some(source) => write!(
                out,
                "<th scope=\"col\">{}<br><small>{}</small></th>",
                escape(&column.label),
                escape(source)
            ),
            None => write!(out, "<th scope=\"col\">{}</th>", escape(&column.label)),
        };
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in grid.rows.iter().filter(|row| !row.ticked.is_empty()) {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{} {}</th>",
            escape(&row.marker),
            escape(&row.label)
        );
        for ticked in &row.ticked {
            match ticked.is_empty() {
                true => out.push_str("<td>—</td>"),
                false => {
                    let _ = write!(
                        out,
                        "<td><strong>{}</strong>: {}</td>",
                        ticked.len(),
                        escape(&ticked.join(", "))
                    );
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    for row in grid.rows.iter().filter(|row| !row.texts.is_empty()) {
        let _ = writeln!(out, "<p>{} {}</p>", escape(&row.marker), escape(&row.label));
        said(out, &row.texts);
    }
}

/// A grid's boxes as a matrix: a square for each row and column, darker as more respondents
/// ticked it, with the number in it; the table after it names them.
fn matrix(out: &mut String, title: &str, grid: &super::GridReport) {
    let rows: Vec<&super::GridRow> = grid
        .rows
        .iter()
        .filter(|row| !row.ticked.is_empty())
        .collect();
    if rows.is_empty() || grid.columns.is_empty() {
        return;
    }
    let most = rows
        .iter()
        .flat_map(|row| row.ticked.iter().map(Vec::len))
        .max()
        .unwrap_or(0)
        .max(1);
    // Each box a wide cell, for its column's label above it (and whose replies, below that,
    // where the columns are of two instruments).
    let sourced = grid.columns.iter().any(|c| c.source.is_some());
    let (label_width, cell, tall) = (380.0, 110.0, 28.0);
    let head = if sourced { 46.0 } else { 30.0 };
    let width = label_width + cell * grid.columns.len() as f64 + 8.0;
    let height = head + tall * rows.len() as f64 + 4.0;
    let _ = writeln!(
        out,
        "<svg class=\"matrix\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        escape(&format!("Respondents who ticked each box: {title}"))
    );
    for (index, column) in grid.columns.iter().enumerate() {
        let x = label_width + cell * index as f64 + cell / 2.0;
        let label = shortened(&column.label, 16);
        let _ = writeln!(
            out,
            "<text x=\"{x}\" y=\"22\" text-anchor=\"middle\">{}</text>",
            escape(&label)
        );
        if let Some(source) = &column.source {
            let _ = writeln!(
                out,
                "<text x=\"{x}\" y=\"38\" text-anchor=\"middle\">({})</text>",
                escape(&shortened(source, 16))
            );
        }
    }
    for (r, row) in rows.iter().enumerate() {
        let y = head + tall * r as f64;
        let label = shortened(&format!("{} {}", row.marker, row.label), 54);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            label_width - 6.0,
            y + tall / 2.0 + 4.0,
            escape(&label)
        );
        for (c, names) in row.ticked.iter().enumerate() {
            let x = label_width + cell * c as f64;
            let shade = names.len() as f64 / most as f64;
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#0b57d0\" fill-opacity=\"{:.2}\" stroke=\"#c8c8c8\"></rect>\n<text x=\"{}\" y=\"{}\" text-anchor=\"middle\"{}>{}</text>",
                x + 1.0,
                y + 1.0,
                cell - 2.0,
                tall - 2.0,
                0.08 + 0.92 * shade,
                x + cell / 2.0,
                y + tall / 2.0 + 4.0,
                if shade > 0.5 { " style=\"fill:#fff\"" } else { "" },
                names.len()
            );
        }
    }
    out.push_str("</svg>\n");
}

/// What respondents said, as a list, each with who said it.
fn said(out: &mut String, said: &[super::Said]) {
    out.push_str("<ul class=\"said\">\n");
    for one in said {
        let _ = writeln!(
            out,
            "<li><strong>{}</strong>: {}</li>",
            escape(&one.respondent),
            escape(&one.text)
        );
    }
    out.push_str("</ul>\n");
}

/// A label cut to `most` characters, with an ellipsis where it is cut (the table beside the
/// chart has it whole).
fn shortened(label: &str, most: usize) -> String {
    match label.chars().count() > most {
        true => label.chars().take(most - 1).collect::<String>() + "…",
        false => label.to_owned(),
    }
}

/// Bars of each count's share of the base (a count left out of the base: its number alone),
/// with the numbers written beside them; the table beside it holds the same for those who do
/// not see the chart.
fn chart(out: &mut String, title: &str, counts: &[&Count]) {
    let height = 22.0;
    let label_width = 150.0;
    let total = counts.len() as f64 * height + 8.0;
    let _ = writeln!(
        out,
        "<svg class=\"chart\" width=\"{}\" height=\"{total}\" viewBox=\"0 0 {} {total}\" role=\"img\" aria-label=\"{}\">",
        label_width + BAR + 60.0,
        label_width + BAR + 60.0,
        escape(&format!("Shares of the base: {title}"))
    );
    for (index, count) in counts.iter().enumerate() {
        let y = index as f64 * height + 4.0;
        let label = shortened(&count.label, 24);
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            label_width - 6.0,
            y + 14.0,
            escape(&label)
        );
        if let Some(share) = count.share {
            let _ = writeln!(
                out,
                "<rect x=\"{label_width}\" y=\"{y}\" width=\"{:.1}\" height=\"{}\" fill=\"#0b57d0\"></rect>",
                (share * BAR).max(0.5),
                height - 6.0
            );
        }
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{}\">{}</text>",
            label_width + count.share.unwrap_or(0.0) * BAR + 6.0,
            y + 14.0,
            match count.share {
                Some(share) => format!("{} ({:.0}%)", count.count, share * 100.0),
                None => format!("{} (not in the base)", count.count),
            }
        );
    }
    out.push_str("</svg>\n");
}
