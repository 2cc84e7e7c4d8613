//! Starting a session with what the caller knows beforehand: the draft's instance id
//! (so the device can file the draft under the id the submission will carry) and the
//! citizen's previous submission of the same form (`jr://instance/last-saved`).

use std::sync::Arc;

use super::FormSession;
use crate::env::Environment;
use crate::error::SessionError;
use crate::form::Form;
use crate::xform::model::SetValueEvent;

/// Options of [`FormSession::start`]. `Default` is what [`FormSession::new`] does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionStart {
    /// The `meta/instanceID` to use (`uuid:` is added if missing); `None`: a new one
    /// from the environment.
    pub instance_id: Option<String>,
    /// The instance XML of the citizen's last submission of this form, for forms that
    /// declare `jr://instance/last-saved`; `None`: that instance is empty.
    pub last_saved: Option<String>,
}

impl FormSession {
    /// Start a new instance like [`FormSession::new`], with a given instance id and/or
    /// the previous submission as the `last-saved` instance. A malformed `last_saved`
    /// is refused (`SessionError::Submission`).
    pub fn start(
        form: Arc<Form>,
        env: Arc<dyn Environment>,
        start: SessionStart,
    ) -> Result<FormSession, SessionError> {
        let mut s = FormSession::blank(form, env);
        s.load_last_saved(start.last_saved.as_deref())?;
        if let Some(id) = &start.instance_id {
            let id = if id.starts_with("uuid:") {
                id.clone()
            } else {
                format!("uuid:{id}")
            };
            if let Some(p) = s.form.def.instance_id_path.clone() {
                for n in s.instances_of(&p) {
                    s.forest.primary_mut().set_value(n, &id);
                }
            }
        }
        s.apply_preloads(None);
        s.run_setvalues(SetValueEvent::FirstLoad, None, None);
        s.recompute_all(start.instance_id.is_some());
        s.started = true;
        Ok(s)
    }

    /// Make `xml` (a previous submission) the form's last-saved instance, if it has one.
    pub(crate) fn load_last_saved(&mut self, xml: Option<&str>) -> Result<(), SessionError> {
        if let (Some(xml), Some(id)) = (xml, self.form.def.last_saved.clone()) {
            let doc =
                crate::external::xml_document(xml.as_bytes()).map_err(SessionError::Submission)?;
            self.forest.replace_secondary(&id, Arc::new(doc));
        }
        Ok(())
    }

    /// The session's `meta/instanceID` (`uuid:...`), set from the start.
    pub fn instance_id(&self) -> Option<&str> {
        let p = self.form.def.instance_id_path.as_deref()?;
        let n = crate::xform::parse::nodes_at(self.forest.primary(), p)
            .first()
            .copied()?;
        Some(self.forest.primary().value(n)).filter(|v| !v.is_empty())
    }
}
