//! The loaded form definition: immutable after parsing, shared by every session.

use std::collections::HashMap;
use std::sync::Arc;

use super::itext::Itext;
use super::text::Text;
use crate::instance::Document;
use crate::xpath::XPath;

/// The value type a bind declares (`type="..."`), which decides how answers are
/// checked and serialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataType {
    /// Free text (also the default for untyped nodes and unknown types).
    String,
    /// Whole number.
    Int,
    /// Decimal number.
    Decimal,
    /// `true`/`false` (ODK also accepts `1`/`0`).
    Boolean,
    /// `YYYY-MM-DD`.
    Date,
    /// `HH:MM:SS.sss+hh:mm`.
    Time,
    /// Date and time with offset.
    DateTime,
    /// One choice value.
    Select1,
    /// Space-separated choice values.
    Select,
    /// `lat lon alt accuracy`.
    Geopoint,
    /// Points separated by `;`.
    Geotrace,
    /// A closed geotrace.
    Geoshape,
    /// An attachment (image, audio, file, signature, drawing): the file name.
    Binary,
    /// A scanned barcode's text.
    Barcode,
}

impl DataType {
    /// Map an XForm type name (with or without the `xsd:` prefix).
    pub fn from_xform(t: &str) -> DataType {
        let t = t.rsplit(':').next().unwrap_or(t);
        match t {
            "int" | "integer" | "long" | "short" => DataType::Int,
            "decimal" | "double" | "float" => DataType::Decimal,
            "boolean" => DataType::Boolean,
            "date" => DataType::Date,
            "time" => DataType::Time,
            "dateTime" => DataType::DateTime,
            "select1" => DataType::Select1,
            "select" | "rank" => DataType::Select,
            "geopoint" => DataType::Geopoint,
            "geotrace" => DataType::Geotrace,
            "geoshape" => DataType::Geoshape,
            "binary" => DataType::Binary,
            "barcode" => DataType::Barcode,
            _ => DataType::String,
        }
    }

    /// The lower-case name shown to shells.
    pub fn name(self) -> &'static str {
        match self {
            DataType::String => "string",
            DataType::Int => "int",
            DataType::Decimal => "decimal",
            DataType::Boolean => "boolean",
            DataType::Date => "date",
            DataType::Time => "time",
            DataType::DateTime => "dateTime",
            DataType::Select1 => "select1",
            DataType::Select => "select",
            DataType::Geopoint => "geopoint",
            DataType::Geotrace => "geotrace",
            DataType::Geoshape => "geoshape",
            DataType::Binary => "binary",
            DataType::Barcode => "barcode",
        }
    }
}

/// `jr:preload`: values ODK fills in itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preload {
    /// `uid`: a new `uuid:...` instance id.
    Uid,
    /// `timestamp start`: when the form was first opened.
    Start,
    /// `timestamp end`: when the form was finalized.
    End,
    /// `date today`.
    Today,
    /// `property NAME`: a device property (deviceid, username, email, ...).
    Property(String),
}

/// A compiled bind: the rules for the nodes at one generic path.
#[derive(Debug, Clone)]
pub struct Bind {
    /// Generic path of the bound nodes (`/data/members/age`).
    pub nodeset: String,
    /// The declared type.
    pub data_type: DataType,
    /// `required`.
    pub required: Option<XPath>,
    /// `jr:requiredMsg`.
    pub required_msg: Option<Text>,
    /// `relevant`.
    pub relevant: Option<XPath>,
    /// `constraint`.
    pub constraint: Option<XPath>,
    /// `jr:constraintMsg`.
    pub constraint_msg: Option<Text>,
    /// `calculate`.
    pub calculate: Option<XPath>,
    /// `readonly`.
    pub readonly: Option<XPath>,
    /// `jr:preload` + `jr:preloadParams`.
    pub preload: Option<Preload>,
}

impl Bind {
    /// A bind with no rules, of type string.
    pub fn new(nodeset: &str) -> Bind {
        Bind {
            nodeset: nodeset.to_string(),
            data_type: DataType::String,
            required: None,
            required_msg: None,
            relevant: None,
            constraint: None,
            constraint_msg: None,
            calculate: None,
            readonly: None,
            preload: None,
        }
    }
}

/// When a `setvalue` action runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetValueEvent {
    /// `odk-instance-first-load`: once, when a new instance is created.
    FirstLoad,
    /// `odk-new-repeat`: for each new repeat instance.
    NewRepeat,
    /// `xforms-value-changed` on the given control: when it is answered.
    ValueChanged,
}

/// A `setvalue` action (pyxform emits these for dynamic defaults such as `today()`).
#[derive(Debug, Clone)]
pub struct SetValue {
    /// When it runs.
    pub event: SetValueEvent,
    /// Generic path of the node it sets.
    pub target: String,
    /// For `ValueChanged`: the generic path of the control that triggers it.
    pub trigger: Option<String>,
    /// The value expression (`None`: clear the node; literal text is compiled too).
    pub value: Option<XPath>,
}

/// A repeat: its template and rules.
#[derive(Debug, Clone)]
pub struct RepeatDef {
    /// Generic path of the repeated element.
    pub path: String,
    /// Template subtree (default values) whose root element is the repeat element.
    pub template: Document,
    /// `jr:count`: the number of instances is computed, not chosen by the user.
    pub count: Option<XPath>,
    /// `jr:noAddRemove="true()"`.
    pub no_add_remove: bool,
    /// Name of the element that followed the repeat in the form's instance, so that a
    /// first instance added after all were removed goes back to the same place.
    pub next_sibling: Option<String>,
}

/// Everything a loaded XForm defines. Immutable and shared by its sessions.
#[derive(Debug, Clone)]
pub struct FormDef {
    /// `h:title`.
    pub title: String,
    /// The primary instance root's `id` attribute (the form id).
    pub form_id: String,
    /// The primary instance root's `version` attribute.
    pub version: Option<String>,
    /// Primary instance as a new session starts (repeat templates removed).
    pub initial: Document,
    /// Secondary instances by id (inline, or read from attachments at load), shared
    /// by every session.
    pub secondary: Vec<(String, Arc<Document>)>,
    /// Lookup indexes of `secondary`, in the same order, shared by every session.
    pub secondary_indexes: Vec<Arc<crate::instance::ValueIndex>>,
    /// The id of the `jr://instance/last-saved` instance, when the form has one.
    pub last_saved: Option<String>,
    /// Namespace declarations in scope on the primary instance root (prefix, URI), for
    /// the submission to repeat.
    pub namespaces: Vec<(String, String)>,
    /// File names of the attachments external instances read, in document order.
    pub attachment_names: Vec<String>,
    /// What ODK accepts silently but the author may want to know.
    pub warnings: Vec<crate::external::LoadWarning>,
    /// Binds in document order.
    pub binds: Vec<Bind>,
    /// Generic path -> index in `binds`.
    pub bind_index: HashMap<String, usize>,
    /// Repeats by generic path.
    pub repeats: HashMap<String, RepeatDef>,
    /// `setvalue` actions.
    pub setvalues: Vec<SetValue>,
    /// The body.
    pub body: Vec<super::body::BodyNode>,
    /// Translations.
    pub itext: Itext,
    /// Generic path of `meta/instanceName`, when the form computes one.
    pub instance_name_path: Option<String>,
    /// Generic path of `meta/instanceID`.
    pub instance_id_path: Option<String>,
}

impl FormDef {
    /// The bind for a generic path, if any.
    pub fn bind(&self, generic_path: &str) -> Option<&Bind> {
        self.bind_index
            .get(generic_path)
            .and_then(|&i| self.binds.get(i))
    }

    /// Whether a generic path is a repeat.
    pub fn is_repeat(&self, generic_path: &str) -> bool {
        self.repeats.contains_key(generic_path)
    }
}
