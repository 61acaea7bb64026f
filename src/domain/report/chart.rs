//! The /stats chart: one dimension as horizontal bars, drawn in-process into a
//! pixel buffer with a font compiled into the binary, and encoded as PNG. No
//! system library is involved, so a release binary copied anywhere draws it.

use std::sync::OnceLock;

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

use super::{Cell, Row};

/// DejaVu Sans: Cyrillic with Kyrgyz ө ү ң and Uzbek ў қ ғ ҳ (its licence is in
/// `assets/fonts/DejaVuSans-LICENSE.txt`).
static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";
const SIZE: (u32, u32) = (900, 520);

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the chart could not be drawn")]
    Draw,
    #[error("the chart could not be encoded as PNG")]
    Encode,
}

fn font_registered() -> bool {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    *REGISTERED.get_or_init(|| register_font(FAMILY, FontStyle::Normal, FONT).is_ok())
}

/// `row` as a PNG: `title` above, each category's `labels` beside its bar. A
/// count too small to show has no bar, only `<5`.
pub fn png(row: &Row, title: &str, labels: &[String]) -> Result<Vec<u8>, ChartError> {
    if !font_registered() {
        return Err(ChartError::Draw);
    }
    let (width, height) = SIZE;
    let mut pixels = vec![255u8; (width * height * 3) as usize];
    draw(&mut pixels, row, title, labels).map_err(|_| ChartError::Draw)?;
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|_| ChartError::Encode)?;
        writer
            .write_image_data(&pixels)
            .map_err(|_| ChartError::Encode)?;
    }
    Ok(bytes)
}

/// The labels' font size at most, and the share of the chart their column
/// may take.
const LABEL_SIZE: u32 = 16;
const LABEL_SMALLEST: u32 = 10;
const LABEL_GAP: u32 = 12;

/// The width of the labels' column and their font size, so every label is
/// drawn whole: as wide as the widest label, up to half the chart; a label
/// longer than that is drawn smaller (the axis cuts a label off at the left).
fn label_column(labels: &[String]) -> (u32, u32) {
    let most = SIZE.0 / 2;
    let widest = |size: u32| {
        let font = FontDesc::new(FontFamily::Name(FAMILY), f64::from(size), FontStyle::Normal);
        labels
            .iter()
            .map(|label| font.box_size(label).map_or(most, |(w, _)| w))
            .max()
            .unwrap_or(0)
            + LABEL_GAP
    };
    let size = (LABEL_SMALLEST..=LABEL_SIZE)
        .rev()
        .find(|&size| widest(size) <= most)
        .unwrap_or(LABEL_SMALLEST);
    (widest(size).min(most), size)
}

fn draw(
    pixels: &mut [u8],
    row: &Row,
    title: &str,
    labels: &[String],
) -> Result<(), Box<dyn std::error::Error>> {
    let root = BitMapBackend::with_buffer(pixels, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let shown: Vec<u64> = row
        .cells
        .iter()
        .map(|cell| match cell {
            Cell::Count(n) => *n,
            Cell::Zero | Cell::Few | Cell::Hidden => 0,
        })
        .collect();
    let top = shown.iter().copied().max().unwrap_or(0).max(5) + 1;
    let count = row.cells.len();
    let (column, label_size) = label_column(labels);
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FAMILY, 24))
        .margin(16)
        .x_label_area_size(32)
        .y_label_area_size(column)
        .build_cartesian_2d(0u64..top, (0..count).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(count)
        .y_label_formatter(&|value| match value {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                labels.get(*i).cloned().unwrap_or_default()
            }
            SegmentValue::Last => String::new(),
        })
        .y_label_style((FAMILY, label_size))
        .x_label_style((FAMILY, LABEL_SIZE))
        .draw()?;
    let bar = RGBColor(46, 110, 142);
    chart.draw_series(shown.iter().enumerate().map(|(i, &n)| {
        let mut rect = Rectangle::new(
            [(0, SegmentValue::Exact(i)), (n, SegmentValue::Exact(i + 1))],
            bar.filled(),
        );
        rect.set_margin(6, 6, 0, 0);
        rect
    }))?;
    chart.draw_series(row.cells.iter().enumerate().map(|(i, cell)| {
        Text::new(
            format!(" {}", cell.shown()),
            (shown[i], SegmentValue::CenterOf(i)),
            (FAMILY, 16),
        )
    }))?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::{Period, Table};

    #[test]
    fn the_chart_is_a_png_drawn_with_the_compiled_in_font() {
        let counter = |key: &str| match key {
            "stats/2026-04/topic/legal" => 12,
            "stats/2026-04/topic/docs" => 3,
            _ => 0,
        };
        let table = Table::of(Period::Year(2026), &[], counter);
        // The labels as the bot says them in Kyrgyz, and one row of the letters
        // Kyrgyz and Uzbek need beyond Russian (ү ө ң ў қ ғ ҳ).
        let locales = crate::i18n::Locales::embedded("ky").unwrap();
        let say = |id| locales.format("ky", &crate::i18n::text::Text::new(id));
        let mut labels: Vec<String> = table.rows[0]
            .dimension
            .categories
            .iter()
            .map(|(_, label)| say(*label))
            .collect();
        labels[3] = [
            '\u{4af}', '\u{4e9}', '\u{4a3}', '\u{45e}', '\u{49b}', '\u{493}', '\u{4b3}',
        ]
        .iter()
        .map(char::to_string)
        .collect::<Vec<_>>()
        .join(" ");
        let title = say(crate::i18n::text::REPORT_TOPIC);
        let bytes = png(&table.rows[0], &title, &labels).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = ::png::Decoder::new(bytes.as_slice());
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!((info.width, info.height), SIZE);
        let ink = pixels.chunks(3).filter(|p| p != &[255, 255, 255]).count();
        assert!(ink > 1000, "something is drawn: {ink} pixels");
        if let Ok(path) = std::env::var("AKJ_CHART_OUT") {
            std::fs::write(path, &bytes).unwrap();
        }
    }

    #[test]
    fn every_label_in_every_language_fits_its_column_whole() {
        assert!(font_registered());
        let locales = crate::i18n::Locales::embedded("ky").unwrap();
        let dimensions = crate::domain::report::dimensions(&[]);
        for lang in locales.codes() {
            for dimension in &dimensions {
                let labels: Vec<String> = dimension
                    .categories
                    .iter()
                    .map(|(_, id)| locales.format(&lang, &crate::i18n::text::Text::new(*id)))
                    .collect();
                let (column, size) = label_column(&labels);
                let font =
                    FontDesc::new(FontFamily::Name(FAMILY), f64::from(size), FontStyle::Normal);
                for label in &labels {
                    let (width, _) = font.box_size(label).unwrap();
                    assert!(
                        width + LABEL_GAP <= column,
                        "{lang} {}: {label:?} is {width} px in a {column} px column",
                        dimension.key
                    );
                }
            }
        }
    }
}
