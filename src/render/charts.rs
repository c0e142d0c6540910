//! Charts as inline SVG, drawn at build time with plotters' SVG backend: a
//! bar chart (values over categories, each bar labelled with its value) and
//! a line chart (one point per meeting). No JavaScript.
//!
//! Colours: plotters writes them as attributes, which the theme's CSS
//! overrides, so black text and axes follow the page's text colour in dark
//! mode (`.chart [fill="#000000"]`); the series colours read on both.
//! The SVG scales to the width of its box (the theme sets `width: 100%`).

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Drawing size in SVG units; shown scaled to the page's width.
const SIZE: (u32, u32) = (480, 270);
/// The bars' and the line's colour: a mid blue that reads on white and on black.
const SERIES: RGBColor = RGBColor(0x3B, 0x7D, 0xD8);
/// Grid lines.
const GRID: RGBColor = RGBColor(0x99, 0x99, 0x99);
const FONT: u32 = 22;

/// The SVG of `draw`'s chart, titled `title` (its `<title>`; the page
/// shows the title as the figure's caption).
fn svg(
    title: &str,
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Option<()>,
) -> Option<String> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, SIZE).into_drawing_area();
        draw(&root)?;
        root.present().ok()?;
    }
    // The title goes first inside the root element, for tools and tooltips.
    let end = buf.find('>')?;
    let mut title_el = String::from("<title>");
    title_el.push_str(&crate::render::feed::xml_escape(title));
    title_el.push_str("</title>");
    let mut out = String::with_capacity(buf.len() + 120);
    out.push_str(&buf[..end]);
    out.push_str(" class=\"chart-svg\" aria-hidden=\"true\" focusable=\"false\">\n");
    out.push_str(&title_el);
    out.push_str(&buf[end + 1..]);
    Some(out)
}

/// How many points a chart of `values` over `labels` draws (none: no chart),
/// and the top of its value axis: `headroom` times the largest, at least one more.
fn extent(labels: &[String], values: &[usize], headroom: f64) -> Option<(usize, f64)> {
    let n = labels.len().min(values.len());
    let max = values.iter().copied().max().unwrap_or(0) as f64;
    (n > 0).then(|| (n, (max * headroom).ceil().max(max + 1.0)))
}

/// A bar chart of `values` over `labels`, each bar labelled with its value.
pub(crate) fn bars(
    title: &str,
    x_desc: &str,
    labels: &[String],
    values: &[usize],
) -> Option<String> {
    let (n, top) = extent(labels, values, 1.2)?;
    let top = top as u32;
    svg(title, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(8)
            .x_label_area_size(48)
            .y_label_area_size(44)
            // A discrete range holds both ends: 0..n-1 is n bars.
            .build_cartesian_2d((0..n as u32 - 1).into_segmented(), 0u32..top)
            .ok()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID.mix(0.4))
            .y_labels(5)
            .x_labels(n)
            .x_desc(x_desc)
            .label_style(("sans-serif", FONT - 2))
            .axis_desc_style(("sans-serif", FONT - 2))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                    labels.get(*i as usize).cloned().unwrap_or_default()
                }
                SegmentValue::Last => String::new(),
            })
            .draw()
            .ok()?;
        chart
            .draw_series((0..n).map(|i| {
                // The last bar ends at the axis' end (its next segment is not in the range).
                let end = if i + 1 < n {
                    SegmentValue::Exact(i as u32 + 1)
                } else {
                    SegmentValue::Last
                };
                let mut r = Rectangle::new(
                    [(SegmentValue::Exact(i as u32), 0), (end, values[i] as u32)],
                    SERIES.filled(),
                );
                r.set_margin(0, 0, 6, 6);
                r
            }))
            .ok()?;
        let style = TextStyle::from(("sans-serif", FONT).into_font())
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        chart
            .draw_series((0..n).map(|i| {
                Text::new(
                    values[i].to_string(),
                    (SegmentValue::CenterOf(i as u32), values[i] as u32),
                    style.clone(),
                )
            }))
            .ok()?;
        Some(())
    })
}

/// A line chart of `values`, one point per entry, the x axis labelled
/// with a few of `labels` (dates).
pub(crate) fn line(
    title: &str,
    y_desc: &str,
    labels: &[String],
    values: &[usize],
) -> Option<String> {
    let (n, top) = extent(labels, values, 1.1)?;
    let right = (n as f64 - 1.0).max(1.0);
    svg(title, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            // Half the last date label hangs past the last point.
            .margin_right(56)
            .x_label_area_size(36)
            .y_label_area_size(52)
            .build_cartesian_2d(0f64..right, 0f64..top)
            .ok()?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID.mix(0.4))
            .y_labels(5)
            .x_labels(3)
            .y_desc(y_desc)
            .label_style(("sans-serif", FONT - 2))
            .axis_desc_style(("sans-serif", FONT - 2))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .x_label_formatter(&|v| {
                let i = v.round().max(0.0) as usize;
                if (v - i as f64).abs() < 1e-6 {
                    labels.get(i).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .draw()
            .ok()?;
        chart
            .draw_series(LineSeries::new(
                values
                    .iter()
                    .take(n)
                    .enumerate()
                    .map(|(i, &v)| (i as f64, v as f64)),
                SERIES.stroke_width(3),
            ))
            .ok()?;
        Some(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_carry_their_values_and_title() {
        let labels: Vec<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        let s = bars("Open & aged", "age", &labels, &[3, 0]).expect("drawn");
        assert!(s.starts_with("<svg"));
        assert!(s.contains("<title>Open &amp; aged</title>"));
        assert!(
            s.contains("\n3\n</text>"),
            "the bar is labelled with its value: {s}"
        );
        assert!(bars("t", "x", &[], &[]).is_none());
        let again = bars("Open & aged", "age", &labels, &[3, 0]).expect("drawn");
        assert_eq!(s, again, "the same figures draw the same SVG");
    }
}
