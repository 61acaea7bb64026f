//! The figures as a CSV file that opens correctly in Excel: UTF-8 with a byte
//! order mark (else Excel reads Cyrillic as another encoding), and `;` between
//! fields, the list separator of Russian and Kyrgyz Windows.

use super::Table;
use crate::i18n::text::{self, MsgId};

const BOM: &str = "\u{feff}";
const SEPARATOR: char = ';';

/// A row per period, dimension and category: period, dimension, category, count.
pub fn csv(tables: &[Table], say: &dyn Fn(MsgId) -> String) -> Vec<u8> {
    let mut out = String::from(BOM);
    let header = [
        text::REPORT_COLUMN_PERIOD,
        text::REPORT_COLUMN_DIMENSION,
        text::REPORT_COLUMN_CATEGORY,
        text::REPORT_COLUMN_COUNT,
    ]
    .map(say);
    line(&mut out, &header);
    for table in tables {
        for row in &table.rows {
            for ((_, label), cell) in row.dimension.categories.iter().zip(&row.cells) {
                line(
                    &mut out,
                    &[
                        table.period.name(),
                        say(row.dimension.title),
                        say(*label),
                        cell.shown(),
                    ],
                );
            }
        }
    }
    out.into_bytes()
}

fn line(out: &mut String, fields: &[String]) {
    let quoted: Vec<String> = fields.iter().map(|f| quote(f)).collect();
    out.push_str(&quoted.join(&SEPARATOR.to_string()));
    out.push_str("\r\n");
}

/// A field in quotes when it holds a separator, a quote or a line break.
fn quote(field: &str) -> String {
    if field.contains([SEPARATOR, '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_separators_or_quotes_are_quoted() {
        assert_eq!(quote("a;b"), "\"a;b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("<5"), "<5");
    }
}
