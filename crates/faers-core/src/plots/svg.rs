//! A tiny SVG writer: text escaping, number formatting, a text-width estimate and the few
//! elements the charts draw.
//!
//! Numbers are formatted here from integers, never with `f64`'s `Display`, and every
//! logarithm or power comes from `libm`: the page (WebAssembly) and the command line
//! (native) must write byte-identical files.

/// Okabe–Ito vermillion: a signal.
pub(crate) const SIGNAL: &str = "#D55E00";
/// Okabe–Ito blue: not a signal, or a plain bar.
pub(crate) const NON_SIGNAL: &str = "#0072B2";
/// Gridlines.
pub(crate) const GRID: &str = "#e5e5e5";
/// Text, reference lines.
pub(crate) const INK: &str = "#222";
/// Axis lines, tick labels, secondary text.
pub(crate) const MUTED: &str = "#666";

const FONT_FAMILY: &str = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif";

/// Labels longer than this many characters are cut, with "…".
pub(crate) const MAX_LABEL_CHARS: usize = 48;

/// `s` made safe as XML text or attribute value. Control characters that XML 1.0 forbids
/// even as references are dropped (tabs and line breaks become spaces).
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `m`·10^`e`, dividing for negative `e` so that 2·10⁻¹ is the same double as `0.2`.
pub(crate) fn scale10(m: f64, e: i32) -> f64 {
    // Repeated multiplication is exact up to 10²² and deterministic beyond.
    let mut p = 1.0;
    for _ in 0..e.unsigned_abs().min(400) {
        p *= 10.0;
    }
    if e >= 0 {
        m * p
    } else {
        m / p
    }
}

/// `v` with exactly `decimals` decimals, rounded half away from zero; "–" if not finite.
pub(crate) fn fixed(v: f64, decimals: u32) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let decimals = decimals.min(30); // the scale must fit a u128
    let scale = scale10(1.0, decimals as i32);
    let scaled = libm::round(libm::fabs(v) * scale);
    if scaled >= 1e30 {
        return sci(v, 2);
    }
    let (n, s) = (scaled as u128, scale as u128);
    let sign = if v < 0.0 && n > 0 { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{n}")
    } else {
        format!("{sign}{}.{:0w$}", n / s, n % s, w = decimals as usize)
    }
}

/// A coordinate or length: 2 decimals, trailing zeros dropped; non-finite as 0 so that
/// no "NaN" or "inf" ever reaches an attribute.
pub(crate) fn num(v: f64) -> String {
    let v = if v.is_finite() {
        v.clamp(-1e6, 1e6)
    } else {
        0.0
    };
    let s = fixed(v, 2);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `v` in scientific notation with `digits` mantissa decimals: "1.23e-45".
pub(crate) fn sci(v: f64, digits: u32) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    if !v.is_finite() {
        return "–".to_string();
    }
    let a = libm::fabs(v);
    let mut e = libm::floor(libm::log10(a)) as i32;
    let mut m = a / libm::pow(10.0, f64::from(e));
    // log10 may land one ulp off a power of ten.
    if m >= 10.0 {
        m /= 10.0;
        e += 1;
    } else if m < 1.0 {
        m *= 10.0;
        e -= 1;
    }
    let scale = scale10(1.0, digits as i32);
    let mut r = libm::round(m * scale);
    if r >= 10.0 * scale {
        r = scale;
        e += 1;
    }
    let mantissa = fixed(r / scale, digits);
    let sign = if v < 0.0 { "-" } else { "" };
    format!("{sign}{mantissa}e{e}")
}

/// A count: whole numbers with thousands separators ("12,345"), others with 1 decimal.
pub(crate) fn count(v: f64) -> String {
    let whole = v.is_finite() && libm::floor(v) == v;
    let s = fixed(v, if whole { 0 } else { 1 });
    if s.contains('e') || s == "–" {
        return s;
    }
    let (sign, rest) = s.split_at(usize::from(s.starts_with('-')));
    let (int, frac) = rest.split_at(rest.find('.').unwrap_or(rest.len()));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}{frac}")
}

/// A p-value: 3 decimals down to 0.001, scientific below ("2.1e-12").
pub(crate) fn p_value(p: f64) -> String {
    if p >= 0.001 || p == 0.0 {
        fixed(p, 3)
    } else {
        sci(p, 1)
    }
}

/// Estimated rendered width of `s` at `size` px in a sans-serif face: per-character
/// classes averaging ~0.55 em in lowercase text, sized for the wider faces (DejaVu Sans,
/// a common fallback) since a clipped label is worse than a gap.
pub(crate) fn text_width(s: &str, size: f64, bold: bool) -> f64 {
    let ems: f64 = s
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '|' | '!' | '\'' | 'I' => 0.32,
            ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' => 0.4,
            'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.92,
            '0'..='9' => 0.62,
            'A'..='Z' => 0.72,
            c if (c as u32) >= 0x2E80 => 1.0, // CJK and wider
            _ => 0.6,
        })
        .sum();
    ems * size * if bold { 1.07 } else { 1.0 }
}

/// `s` cut to [`MAX_LABEL_CHARS`] characters with "…", and whether it was cut.
pub(crate) fn truncate(s: &str) -> (String, bool) {
    if s.chars().count() <= MAX_LABEL_CHARS {
        (s.to_string(), false)
    } else {
        let mut t: String = s.chars().take(MAX_LABEL_CHARS - 1).collect();
        t.push('…');
        (t, true)
    }
}

/// Horizontal alignment of a text.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// How a text is set; built with the `const` methods: `Font::new(11.0).end().bold()`.
#[derive(Clone, Copy)]
pub(crate) struct Font {
    size: f64,
    anchor: Anchor,
    bold: bool,
    fill: &'static str,
    /// Degrees about the text's own anchor point; 0 for none.
    rotate: f64,
}

impl Font {
    pub(crate) const fn new(size: f64) -> Font {
        Font {
            size,
            anchor: Anchor::Start,
            bold: false,
            fill: INK,
            rotate: 0.0,
        }
    }
    pub(crate) const fn middle(self) -> Font {
        Font {
            anchor: Anchor::Middle,
            ..self
        }
    }
    pub(crate) const fn end(self) -> Font {
        Font {
            anchor: Anchor::End,
            ..self
        }
    }
    pub(crate) const fn bold(self) -> Font {
        Font { bold: true, ..self }
    }
    pub(crate) const fn fill(self, fill: &'static str) -> Font {
        Font { fill, ..self }
    }
    pub(crate) const fn rotate(self, degrees: f64) -> Font {
        Font {
            rotate: degrees,
            ..self
        }
    }
}

/// An SVG document being written, element by element, one per line.
pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// The root element, `<title>`, `<desc>` and a white background of a `width`×`height`
    /// picture (both rounded up to whole pixels).
    pub(crate) fn new(width: f64, height: f64, title: &str, desc: &str) -> Svg {
        let (w, h) = (num(libm::ceil(width)), num(libm::ceil(height)));
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\" role=\"img\">\n"
        );
        out += &format!(
            "<title>{}</title>\n<desc>{}</desc>\n",
            esc(title),
            esc(desc)
        );
        out += &format!("<rect width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>\n");
        Svg { out }
    }

    /// The finished document.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }

    /// `<tag attrs/>`, or with a `<title>` child (a tooltip) when `title` is given.
    fn element(&mut self, tag: &str, attrs: &str, title: Option<&str>) {
        match title {
            None => self.out += &format!("<{tag} {attrs}/>\n"),
            Some(t) => self.out += &format!("<{tag} {attrs}><title>{}</title></{tag}>\n", esc(t)),
        }
    }

    /// Opens a `<g>`, with a `<title>` child when given: a tooltip for everything inside.
    pub(crate) fn open_group(&mut self, title: Option<&str>) {
        self.out.push_str("<g>");
        if let Some(t) = title {
            self.out += &format!("<title>{}</title>", esc(t));
        }
        self.out.push('\n');
    }

    /// Closes the innermost `<g>`.
    pub(crate) fn close_group(&mut self) {
        self.out.push_str("</g>\n");
    }

    /// A filled rectangle; negative sizes are drawn as zero.
    pub(crate) fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str) {
        let attrs = format!(
            "x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"",
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0))
        );
        self.element("rect", &attrs, None);
    }

    /// A line; `dash` is a `stroke-dasharray` such as "4 3".
    pub(crate) fn line(
        &mut self,
        (x1, y1): (f64, f64),
        (x2, y2): (f64, f64),
        stroke: &str,
        width: f64,
        dash: Option<&str>,
    ) {
        let mut attrs = format!(
            "x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\"",
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            num(width)
        );
        if let Some(d) = dash {
            attrs += &format!(" stroke-dasharray=\"{d}\"");
        }
        self.element("line", &attrs, None);
    }

    /// A filled circle with a white rim, `opacity` its fill opacity, `title` its tooltip.
    pub(crate) fn circle(
        &mut self,
        (cx, cy): (f64, f64),
        r: f64,
        fill: &str,
        opacity: f64,
        title: &str,
    ) {
        let attrs = format!(
            "cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" fill-opacity=\"{}\" stroke=\"#fff\" stroke-width=\"0.5\"",
            num(cx),
            num(cy),
            num(r),
            num(opacity)
        );
        self.element("circle", &attrs, Some(title));
    }

    /// A filled polygon with a tooltip.
    pub(crate) fn polygon(&mut self, points: &[(f64, f64)], fill: &str, opacity: f64, title: &str) {
        let pts: Vec<String> = points
            .iter()
            .map(|&(x, y)| format!("{},{}", num(x), num(y)))
            .collect();
        let attrs = format!(
            "points=\"{}\" fill=\"{fill}\" fill-opacity=\"{}\" stroke=\"#fff\" stroke-width=\"0.5\"",
            pts.join(" "),
            num(opacity)
        );
        self.element("polygon", &attrs, Some(title));
    }

    /// A text with its baseline at `y`; callers centre a line of text on a row by adding
    /// about 0.35 em, since `dominant-baseline` renders differently across rasterisers.
    pub(crate) fn text(&mut self, x: f64, y: f64, s: &str, f: Font) {
        let mut attrs = format!(
            "x=\"{}\" y=\"{}\" font-size=\"{}\"",
            num(x),
            num(y),
            num(f.size)
        );
        if f.bold {
            attrs += " font-weight=\"bold\"";
        }
        match f.anchor {
            Anchor::Start => {}
            Anchor::Middle => attrs += " text-anchor=\"middle\"",
            Anchor::End => attrs += " text-anchor=\"end\"",
        }
        attrs += &format!(" fill=\"{}\"", f.fill);
        if f.rotate != 0.0 {
            attrs += &format!(
                " transform=\"rotate({} {} {})\"",
                num(f.rotate),
                num(x),
                num(y)
            );
        }
        self.out += &format!("<text {attrs}>{}</text>\n", esc(s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_controls() {
        assert_eq!(esc(r#"a<b>&"c'"#), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(esc("x\u{1}y\tz"), "xy z");
    }

    #[test]
    fn formats_numbers_without_float_display() {
        assert_eq!(fixed(486.015, 2), "486.02");
        assert_eq!(fixed(-0.004, 2), "0.00");
        assert_eq!(fixed(1.5, 0), "2");
        assert_eq!(fixed(f64::NAN, 2), "–");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(-3.456), "-3.46");
        assert_eq!(num(f64::INFINITY), "0");
        assert_eq!(sci(1.23e-45, 2), "1.23e-45");
        assert_eq!(sci(9.996e-3, 2), "1.00e-2");
        assert_eq!(p_value(0.05), "0.050");
        assert_eq!(p_value(2.1e-12), "2.1e-12");
        assert_eq!(count(1234567.0), "1,234,567");
        assert_eq!(count(97.0), "97");
        assert_eq!(count(2.25), "2.3");
        assert_eq!(scale10(2.0, -1), 0.2);
        assert_eq!(scale10(5.0, 2), 500.0);
    }

    #[test]
    fn truncates_long_labels() {
        let long = "x".repeat(60);
        let (t, cut) = truncate(&long);
        assert!(cut);
        assert_eq!(t.chars().count(), MAX_LABEL_CHARS);
        assert!(t.ends_with('…'));
        assert_eq!(truncate("Nausea"), ("Nausea".to_string(), false));
        assert!(text_width("Nausea", 12.0, false) > 25.0);
    }
}
