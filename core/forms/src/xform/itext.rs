//! itext: the form's translations. Forms here carry Bahasa Indonesia and English, but
//! any number of languages works; each text id may have forms (`guidance`, `short`,
//! `image`, ...) besides its default.

use std::collections::HashMap;

use super::text::{parse_mixed, TextPart};
use crate::error::LoadError;

/// All forms of one text id in one language.
#[derive(Debug, Clone, Default)]
pub struct TextForms {
    /// Form name (`""` for the default, `guidance`, `short`, `image`, `audio`...) ->
    /// content.
    pub forms: HashMap<String, Vec<TextPart>>,
}

/// The translations of a form.
#[derive(Debug, Clone, Default)]
pub struct Itext {
    /// Language names as the form writes them (pyxform: `Bahasa Indonesia (id)`).
    pub languages: Vec<String>,
    /// The language marked `default="true()"`, else the first.
    pub default_language: Option<String>,
    texts: Vec<HashMap<String, TextForms>>,
}

impl Itext {
    /// Parse the model's `<itext>` element.
    pub fn parse(itext: roxmltree::Node<'_, '_>) -> Result<Itext, LoadError> {
        let mut out = Itext::default();
        for tr in itext.children().filter(|c| c.is_element()) {
            if tr.tag_name().name() != "translation" {
                continue;
            }
            let lang = tr.attribute("lang").unwrap_or("default").to_string();
            if tr.attribute("default").is_some() && out.default_language.is_none() {
                out.default_language = Some(lang.clone());
            }
            let mut texts: HashMap<String, TextForms> = HashMap::new();
            for t in tr.children().filter(|c| c.is_element()) {
                let Some(id) = t.attribute("id") else {
                    continue;
                };
                let entry = texts.entry(id.to_string()).or_default();
                for v in t.children().filter(|c| c.is_element()) {
                    let form = match v.attribute("form") {
                        None | Some("long") => "",
                        Some(f) => f,
                    };
                    let parts = parse_mixed(v, id)?;
                    entry.forms.entry(form.to_string()).or_insert(parts);
                }
            }
            out.languages.push(lang);
            out.texts.push(texts);
        }
        if out.default_language.is_none() {
            out.default_language = out.languages.first().cloned();
        }
        Ok(out)
    }

    /// Look up text `id` in `form` (`""` default) for `lang`, falling back to the
    /// default language and then to any language that has it.
    pub fn get(&self, lang: Option<&str>, id: &str, form: &str) -> Option<&[TextPart]> {
        let mut order: Vec<usize> = Vec::new();
        let push = |l: Option<&str>, order: &mut Vec<usize>| {
            if let Some(i) = l.and_then(|l| self.languages.iter().position(|x| x == l)) {
                if !order.contains(&i) {
                    order.push(i);
                }
            }
        };
        push(lang, &mut order);
        push(self.default_language.as_deref(), &mut order);
        for i in 0..self.languages.len() {
            if !order.contains(&i) {
                order.push(i);
            }
        }
        order.into_iter().find_map(|i| {
            self.texts
                .get(i)
                .and_then(|m| m.get(id))
                .and_then(|t| t.forms.get(form))
                .map(Vec::as_slice)
        })
    }

    /// Every media URI (image, big-image, audio, video forms) in any language, sorted,
    /// without duplicates.
    pub fn media_uris(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .texts
            .iter()
            .flat_map(|m| m.values())
            .flat_map(|t| {
                crate::session::MEDIA_FORMS
                    .iter()
                    .filter_map(|f| t.forms.get(*f))
            })
            .map(|parts| {
                parts
                    .iter()
                    .filter_map(|p| match p {
                        TextPart::Literal(s) => Some(s.as_str()),
                        TextPart::Output(_) => None,
                    })
                    .collect::<String>()
                    .trim()
                    .to_string()
            })
            .filter(|u| !u.is_empty())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Whether `lang` is one of the form's languages.
    pub fn has_language(&self, lang: &str) -> bool {
        self.languages.iter().any(|l| l == lang)
    }
}
