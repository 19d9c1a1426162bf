//! Render stage, charts: the SVG that plotters draws into. It draws what
//! plotters' own SVG backend draws, element for element, without a string
//! allocated per attribute, and in the page's colours: the sentinel
//! [`INK`] becomes `currentColor`, and a stroke in [`DASHED`] a dashed
//! `currentColor` line, so that charts follow the page's light or dark
//! theme. What every label shares (its font, size and colour) is said once,
//! on a group around the chart, and defaults (full opacity) not at all: a
//! rep page draws eight charts, and phones fetch them all.

use super::draw::{DASHED, FONT, INK, SMALL};
use plotters::prelude::RGBColor;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontStyle, FontTransform,
};
use std::fmt::Write as _;

/// An SVG document written into a string.
pub struct Svg<'a> {
    out: &'a mut String,
    size: (u32, u32),
    /// Whether the closing `</svg>` is written.
    done: bool,
}

/// Nothing fails when writing into a string.
type Drawn = Result<(), DrawingErrorKind<std::convert::Infallible>>;

impl<'a> Svg<'a> {
    /// Starts a `width × height` document in `out`.
    pub fn new(out: &'a mut String, (width, height): (u32, u32)) -> Svg<'a> {
        let mut svg = Svg {
            out,
            size: (width, height),
            done: false,
        };
        svg.out.push_str("<svg width=\"");
        svg.int(width);
        svg.out.push_str("\" height=\"");
        svg.int(height);
        svg.out.push_str("\" viewBox=\"0 0 ");
        svg.int(width);
        svg.out.push(' ');
        svg.int(height);
        svg.out
            .push_str("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        writeln!(
            svg.out,
            "<g font-family=\"{FONT}\" font-size=\"{}\" fill=\"currentColor\">",
            label_size(SMALL)
        )
        .expect("a string takes any write");
        svg
    }

    /// Opens the element `<tag` for a shape in `color`; `false`, writing
    /// nothing, for one that would not be seen (fully transparent), as
    /// plotters' backend leaves it out.
    fn open(&mut self, tag: &str, color: BackendColor) -> bool {
        if color.alpha == 0.0 {
            return false;
        }
        self.out.push('<');
        self.out.push_str(tag);
        true
    }

    /// A filled shape's fill, or an outline's stroke, in `color`.
    fn paint(&mut self, color: BackendColor, fill: bool) {
        if fill {
            self.fill(color);
            self.attr("stroke", "none");
        } else {
            self.attr("fill", "none");
            self.stroke(color);
        }
    }

    fn int(&mut self, value: impl itoa::Integer) {
        self.out.push_str(itoa::Buffer::new().format(value));
    }

    /// ` name="value"` for a whole number.
    fn attr_int(&mut self, name: &str, value: impl itoa::Integer) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.int(value);
        self.out.push('"');
    }

    fn attr(&mut self, name: &str, value: &str) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.out.push_str(value);
        self.out.push('"');
    }

    /// ` opacity="…"`, unless full.
    fn opacity(&mut self, color: BackendColor) {
        if color.alpha != 1.0 {
            write!(self.out, " opacity=\"{}\"", color.alpha).expect("a string takes any write");
        }
    }

    /// ` fill="…"` in `color`, ink as the page's text colour.
    fn fill(&mut self, color: BackendColor) {
        self.out.push_str(" fill=\"");
        self.color(color);
        self.out.push('"');
    }

    /// ` stroke="…"` in `color`: ink as the page's text colour, the dashed
    /// sentinel as a dashed line in it.
    fn stroke(&mut self, color: BackendColor) {
        self.out.push_str(" stroke=\"");
        if same(color, DASHED) {
            self.out.push_str("currentColor\" stroke-dasharray=\"6 4");
        } else {
            self.color(color);
        }
        self.out.push('"');
    }

    fn color(&mut self, color: BackendColor) {
        if same(color, INK) {
            self.out.push_str("currentColor");
        } else {
            let (r, g, b) = color.rgb;
            write!(self.out, "#{r:02X}{g:02X}{b:02X}").expect("a string takes any write");
        }
    }

    fn points(&mut self, path: impl IntoIterator<Item = BackendCoord>) {
        self.out.push_str(" points=\"");
        for (x, y) in path {
            self.int(x);
            self.out.push(',');
            self.int(y);
            self.out.push(' ');
        }
        self.out.push('"');
    }

    /// `text` escaped as plotters' backend escapes it (`&apos;` too),
    /// written in place: labels are many and short, so
    /// [`crate::text::escape_markup`]'s new string for each would cost
    /// more than the label. Control characters are replaced on the whole
    /// page, as for everything else on it.
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '&' => self.out.push_str("&amp;"),
                '"' => self.out.push_str("&quot;"),
                '\'' => self.out.push_str("&apos;"),
                other => self.out.push(other),
            }
        }
    }
}

/// The size plotters writes for a font of `size`.
fn label_size(size: f64) -> f64 {
    size / 1.24
}

fn same(color: BackendColor, sentinel: RGBColor) -> bool {
    color.rgb == (sentinel.0, sentinel.1, sentinel.2)
}

impl DrawingBackend for Svg<'_> {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        if !self.done {
            self.out.push_str("</g>\n</svg>\n");
            self.done = true;
        }
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, color: BackendColor) -> Drawn {
        if !self.open("rect", color) {
            return Ok(());
        }
        self.attr_int("x", x);
        self.attr_int("y", y);
        self.out
            .push_str(" width=\"1\" height=\"1\" stroke=\"none\"");
        self.opacity(color);
        self.fill(color);
        self.out.push_str("/>\n");
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        let color = style.color();
        if !self.open("line", color) {
            return Ok(());
        }
        self.opacity(color);
        self.stroke(color);
        self.attr_int("stroke-width", style.stroke_width());
        self.attr_int("x1", from.0);
        self.attr_int("y1", from.1);
        self.attr_int("x2", to.0);
        self.attr_int("y2", to.1);
        self.out.push_str("/>\n");
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let color = style.color();
        if !self.open("rect", color) {
            return Ok(());
        }
        self.attr_int("x", upper_left.0);
        self.attr_int("y", upper_left.1);
        self.attr_int("width", bottom_right.0 - upper_left.0);
        self.attr_int("height", bottom_right.1 - upper_left.1);
        self.opacity(color);
        self.paint(color, fill);
        self.out.push_str("/>\n");
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        let color = style.color();
        if !self.open("polyline", color) {
            return Ok(());
        }
        self.attr("fill", "none");
        self.opacity(color);
        self.stroke(color);
        self.attr_int("stroke-width", style.stroke_width());
        self.points(path);
        self.out.push_str("/>\n");
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        let color = style.color();
        if !self.open("polygon", color) {
            return Ok(());
        }
        self.opacity(color);
        self.fill(color);
        self.points(path);
        self.out.push_str("/>\n");
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let color = style.color();
        if !self.open("circle", color) {
            return Ok(());
        }
        self.attr_int("cx", center.0);
        self.attr_int("cy", center.1);
        self.attr_int("r", radius);
        self.opacity(color);
        self.paint(color, fill);
        self.attr_int("stroke-width", style.stroke_width());
        self.out.push_str("/>\n");
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        (x, y): BackendCoord,
    ) -> Drawn {
        let color = style.color();
        if !self.open("text", color) {
            return Ok(());
        }
        let anchor = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "middle",
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => "0.76em",
            VPos::Center => "0.5ex",
            VPos::Bottom => "-0.5ex",
        };
        self.attr_int("x", x);
        self.attr_int("y", y);
        self.attr("dy", dy);
        self.attr("text-anchor", anchor);
        if style.family().as_str() != FONT {
            self.out.push_str(" font-family=\"");
            self.text(style.family().as_str());
            self.out.push('"');
        }
        let size = style.size();
        if size != SMALL {
            write!(self.out, " font-size=\"{}\"", label_size(size))
                .expect("a string takes any write");
        }
        self.opacity(color);
        if !same(color, INK) {
            self.fill(color);
        }
        match style.style() {
            FontStyle::Normal => {}
            FontStyle::Bold => self.attr("font-weight", "bold"),
            other => self.attr("font-style", other.as_str()),
        }
        let degrees = match style.transform() {
            FontTransform::Rotate90 => Some(90),
            FontTransform::Rotate180 => Some(180),
            FontTransform::Rotate270 => Some(270),
            FontTransform::None => None,
        };
        if let Some(degrees) = degrees {
            write!(self.out, " transform=\"rotate({degrees}, {x}, {y})\"")
                .expect("a string takes any write");
        }
        self.out.push('>');
        self.text(text);
        self.out.push_str("</text>\n");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::coord::Shift;
    use plotters::prelude::{
        Circle, Color, DrawingArea, IntoDrawingArea, IntoFont, PathElement, Pixel, Polygon,
        Rectangle, SVGBackend, TRANSPARENT, Text,
    };
    use plotters::style::text_anchor::Pos;

    /// One of each element plotters draws with, on `area`.
    fn draw_each<B: DrawingBackend>(area: &DrawingArea<B, Shift>) {
        let bar = Rectangle::new([(1, 2), (30, 40)], INK.mix(0.5).filled());
        area.draw(&bar).unwrap();
        let outline = Rectangle::new([(3, 4), (5, 6)], RGBColor(200, 10, 0));
        area.draw(&outline).unwrap();
        let dashed = PathElement::new(
            vec![(0, 0), (9, 9), (20, 5)],
            Color::stroke_width(&DASHED.mix(0.7), 2),
        );
        area.draw(&dashed).unwrap();
        let line = PathElement::new(vec![(0, 1), (2, 3)], RGBColor(5, 6, 7));
        area.draw(&line).unwrap();
        area.draw(&Circle::new((10, 12), 4, INK.filled())).unwrap();
        let ring = Circle::new((1, 1), 2, Color::stroke_width(&RGBColor(9, 9, 9), 3));
        area.draw(&ring).unwrap();
        let triangle = Polygon::new(vec![(0, 0), (4, 0), (2, 3)], RGBColor(1, 1, 1).mix(0.25));
        area.draw(&triangle).unwrap();
        let label = ("sans-serif", 18.0)
            .into_font()
            .color(&INK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        area.draw(&Text::new("Q3 <\"A&B's\">", (50, 60), label))
            .unwrap();
        let turned = ("serif", 12.0)
            .into_font()
            .style(FontStyle::Bold)
            .transform(FontTransform::Rotate270)
            .color(&RGBColor(0, 128, 255));
        area.draw(&Text::new("turned", (5, 6), turned)).unwrap();
        area.draw(&Pixel::new((7, 8), RGBColor(10, 20, 30)))
            .unwrap();
        let hidden = Rectangle::new([(0, 0), (1, 1)], TRANSPARENT.filled());
        area.draw(&hidden).unwrap();
        area.present().unwrap();
    }

    /// An element's name, its attributes by name, and its text.
    type Element = (String, Vec<(String, String)>, String);

    /// Each element as a browser reads it: its name, its attributes with
    /// those a label takes from the group around the chart and the default
    /// opacity filled in, ink as the page's colour, and its text.
    fn read(svg: &str) -> Vec<Element> {
        let document = roxmltree::Document::parse(svg).unwrap();
        let ink = format!("#{:02X}{:02X}{:02X}", INK.0, INK.1, INK.2);
        let dashed = format!("#{:02X}{:02X}{:02X}", DASHED.0, DASHED.1, DASHED.2);
        document
            .descendants()
            .filter(|n| n.is_element() && !matches!(n.tag_name().name(), "svg" | "g"))
            .map(|element| {
                let label = element.tag_name().name() == "text";
                let inherited = ["font-family", "font-size", "fill"];
                let mut attrs: Vec<(String, String)> = Vec::new();
                for name in ["opacity"].into_iter().chain(inherited) {
                    let taken = (label && inherited.contains(&name))
                        .then(|| element.ancestors().find_map(|a| a.attribute(name)))
                        .flatten();
                    let default = (name == "opacity").then_some("1");
                    if let Some(value) = element.attribute(name).or(taken).or(default) {
                        attrs.push((name.to_string(), value.to_string()));
                    }
                }
                for attr in element.attributes() {
                    if !attrs.iter().any(|(name, _)| name == attr.name()) {
                        attrs.push((attr.name().to_string(), attr.value().to_string()));
                    }
                }
                if element.attribute("stroke") == Some(dashed.as_str()) {
                    attrs.push(("stroke-dasharray".into(), "6 4".into()));
                }
                for (name, value) in &mut attrs {
                    if *value == ink || (name == "stroke" && *value == dashed) {
                        *value = "currentColor".into();
                    }
                }
                attrs.sort();
                let text = element.text().unwrap_or("").trim().to_string();
                (element.tag_name().name().to_string(), attrs, text)
            })
            .collect()
    }

    /// What plotters' own backend draws, element for element, ink and the
    /// dashed stroke turned into the page's colour, in fewer bytes.
    #[test]
    fn writes_what_plotters_writes_in_the_page_colours() {
        let mut ours = String::new();
        draw_each(&Svg::new(&mut ours, (120, 80)).into_drawing_area());
        let mut theirs = String::new();
        draw_each(&SVGBackend::with_string(&mut theirs, (120, 80)).into_drawing_area());
        assert!(ours.contains("stroke-dasharray"), "{ours}");
        assert!(
            ours.contains("&lt;&quot;A&amp;B&apos;s&quot;&gt;"),
            "{ours}"
        );
        assert!(ours.contains("font-weight=\"bold\""), "{ours}");
        // Said once, on the group, not on each label.
        assert_eq!(
            ours.matches("font-family=\"sans-serif\"").count(),
            1,
            "{ours}"
        );
        assert!(!ours.contains("opacity=\"1\""), "{ours}");
        assert!(ours.len() < theirs.len(), "{ours}");
        let (ours, theirs) = (read(&ours), read(&theirs));
        assert_eq!(ours.len(), 10);
        assert_eq!(ours, theirs);
    }
}
