//! `report.md` and `report.html`, rendered by minijinja templates (`templates/`) from the
//! report's JSON form: the engine assembles no markup, the templates escape every value.

use minijinja::{Environment, Value};

use super::{Report, ReportError, summary};

const HTML: &str = include_str!("templates/report.html");
const MARKDOWN: &str = include_str!("templates/report.md");

pub struct Pages {
    pub html: String,
    pub markdown: String,
}

impl Pages {
    pub fn of(report: &Report) -> Result<Pages, ReportError> {
        let env = environment()?;
        let json = serde_json::to_value(report).map_err(|source| ReportError::Json {
            path: "report".into(),
            source,
        })?;
        let ctx = minijinja::context! {
            index => Value::from_serialize(&json["index"]),
            cases => Value::from_serialize(&json["cases"]),
            groups => Value::from_serialize(summary::groups(report)),
        };
        Ok(Pages {
            html: render(&env, "report.html", &ctx)?,
            markdown: render(&env, "report.md", &ctx)?,
        })
    }
}

fn environment() -> Result<Environment<'static>, ReportError> {
    let mut env = Environment::new();
    env.add_filter("md", markdown_cell);
    env.add_filter("title", verdict_title);
    env.add_filter("first_line", |text: String| {
        text.lines().next().unwrap_or_default().to_owned()
    });
    for (name, source) in [("report.html", HTML), ("report.md", MARKDOWN)] {
        env.add_template(name, source)
            .map_err(|source| ReportError::Template { name, source })?;
    }
    Ok(env)
}

fn render(
    env: &Environment<'static>,
    name: &'static str,
    ctx: &Value,
) -> Result<String, ReportError> {
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|source| ReportError::Template { name, source })
}

/// A value inside a Markdown table cell: no line breaks, pipes escaped.
fn markdown_cell(text: String) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// `non_strict` → `NonStrict`.
fn verdict_title(text: String) -> String {
    text.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}
