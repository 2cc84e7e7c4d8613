//! Hand-written XForms for what pyxform rarely or never emits: nested repeats with
//! jr:count, jr:noAddRemove, setvalue actions, orx-prefixed meta, groups that are
//! read-only or irrelevant as a whole, relative body refs, ranges, inline labels with
//! outputs, jr:choice-name, once() and indexed-repeat().

use std::sync::Arc;

use layanan_forms::xform::body::ControlKind;
use layanan_forms::{FixedEnvironment, Form, FormSession, SessionError, Timestamp};

fn env() -> Arc<FixedEnvironment> {
    Arc::new(
        FixedEnvironment::new(
            Timestamp {
                epoch_millis: 1_795_860_000_000,
                offset_minutes: 480,
            },
            5,
        )
        .with_property("username", "petugas_desa"),
    )
}

fn session(xml: &str) -> FormSession {
    let f = Form::parse(xml).unwrap_or_else(|e| panic!("{e}"));
    FormSession::new(Arc::new(f), env())
}

fn ok<T>(r: Result<T, SessionError>) -> T {
    r.unwrap_or_else(|e| panic!("{e:?}"))
}

const NESTED: &str = r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" xmlns:odk="http://www.opendatakit.org/xforms">
  <h:head><h:title>Rumah tangga</h:title>
    <model>
      <instance>
        <hh id="nested" orx:version="3">
          <n_houses/>
          <house jr:template=""><hname/><rooms><rname/><area/></rooms><total/></house>
          <first_room/>
          <who/>
          <visited/>
          <created/>
          <changed/>
          <orx:meta><orx:instanceID/><orx:instanceName/></orx:meta>
        </hh>
      </instance>
      <bind nodeset="/hh/n_houses" type="int" required="true()"/>
      <bind nodeset="/hh/house/rooms/area" type="decimal"/>
      <bind nodeset="/hh/house/total" type="decimal" calculate="sum(../rooms/area)"/>
      <bind nodeset="/hh/first_room" calculate="indexed-repeat(/hh/house/rooms/rname, /hh/house, 2, /hh/house/rooms, 1)"/>
      <bind nodeset="/hh/who" jr:preload="property" jr:preloadParams="username"/>
      <bind nodeset="/hh/visited" type="date"/>
      <bind nodeset="/hh/created" calculate="once(if(/hh/n_houses = '', '', concat('c-', /hh/n_houses)))"/>
      <bind nodeset="/hh/orx:meta/orx:instanceID" jr:preload="uid" readonly="true()"/>
      <bind nodeset="/hh/orx:meta/orx:instanceName" calculate="concat('RT ', /hh/n_houses)"/>
      <setvalue event="odk-instance-first-load" ref="/hh/visited" value="today()"/>
    </model>
  </h:head>
  <h:body>
    <input ref="/hh/n_houses"><label>Jumlah rumah</label>
      <setvalue event="xforms-value-changed" ref="/hh/changed" value="concat('n=', /hh/n_houses)"/>
    </input>
    <group ref="/hh/house"><label>Rumah</label>
      <repeat nodeset="/hh/house" jr:count=" /hh/n_houses ">
        <input ref="hname"><label>Nama rumah <output value="position(..)"/></label></input>
        <repeat nodeset="/hh/house/rooms">
          <setvalue event="odk-new-repeat" ref="/hh/house/rooms/rname" value="concat('kamar ', count(../../rooms))"/>
          <input ref="rname"><label>Kamar</label></input>
          <input ref="area"><label>Luas</label></input>
        </repeat>
      </repeat>
    </group>
  </h:body>
</h:html>"#;

#[test]
fn nested_repeats_with_count_and_setvalue() {
    let mut s = session(NESTED);
    assert_eq!(s.value("/hh/who"), Some("petugas_desa"));
    assert_eq!(s.value("/hh/visited"), Some("2026-11-28"));
    // jr:count with an empty count: no houses, and the user cannot add one.
    assert_eq!(ok(s.repeat_count("/hh/house")), 0);
    assert!(matches!(
        s.add_repeat("/hh/house"),
        Err(SessionError::Repeat(_))
    ));
    ok(s.answer("/hh/n_houses", "2"));
    assert_eq!(s.value("/hh/changed"), Some("n=2"));
    assert_eq!(s.value("/hh/created"), Some("c-2"));
    assert_eq!(ok(s.repeat_count("/hh/house")), 2);
    // Each new house got the one room of its template, named by the new-repeat action.
    assert_eq!(ok(s.repeat_count("/hh/house[2]/rooms")), 1);
    assert_eq!(s.value("/hh/house[2]/rooms[1]/rname"), Some("kamar 1"));
    assert_eq!(
        ok(s.add_repeat("/hh/house[2]/rooms")),
        "/hh/house[2]/rooms[2]"
    );
    assert_eq!(s.value("/hh/house[2]/rooms[2]/rname"), Some("kamar 2"));
    assert_eq!(s.value("/hh/first_room"), Some("kamar 1"));
    ok(s.answer("/hh/house[2]/rooms[1]/area", "12.5"));
    ok(s.answer("/hh/house[2]/rooms[2]/area", "7.5"));
    assert_eq!(s.value("/hh/house[2]/total"), Some("20"));
    // sum() over empty answers is NaN, stored as an empty decimal.
    assert_eq!(s.value("/hh/house[1]/total"), Some(""));
    let q = s
        .question_at("/hh/house[2]/hname")
        .unwrap_or_else(|| panic!("q"));
    assert_eq!(q.label, "Nama rumah 2");
    // once() keeps its first value.
    ok(s.answer("/hh/n_houses", "1"));
    assert_eq!(s.value("/hh/created"), Some("c-2"));
    assert_eq!(ok(s.repeat_count("/hh/house")), 1);
    assert_eq!(s.value("/hh/first_room"), Some(""));
    let sub = ok(s.finalize());
    assert_eq!(sub.instance_name.as_deref(), Some("RT 1"));
    assert!(
        sub.xml.contains(
            "<hh xmlns:orx=\"http://openrosa.org/xforms\" id=\"nested\" orx:version=\"3\">"
        ),
        "{}",
        sub.xml
    );
    assert!(sub.xml.contains(&format!(
        "<orx:instanceID>{}</orx:instanceID>",
        sub.instance_id
    )));
    // Draft round trip with nested indices.
    let draft = s.export_draft();
    assert!(draft.contains_key("/hh/house[1]"));
    let again = ok(FormSession::resume(Arc::clone(s.form()), env(), &draft));
    assert_eq!(again.export_draft(), draft);
}

const GROUPS: &str = r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
  <h:head><h:title>Groups</h:title>
    <model>
      <itext>
        <translation lang="Bahasa Indonesia" default="true()">
          <text id="q1"><value>Pertanyaan satu</value></text>
          <text id="only_id"><value>Hanya Indonesia</value></text>
          <text id="c-a"><value>Pilihan A</value></text>
          <text id="c-b"><value>Pilihan B</value></text>
        </translation>
        <translation lang="English">
          <text id="q1"><value>Question one</value></text>
          <text id="c-a"><value>Choice A</value></text>
          <text id="c-b"><value>Choice B</value></text>
        </translation>
      </itext>
      <instance>
        <data id="groups">
          <show/>
          <g><x/><y>def</y></g>
          <ro><z>fixed</z></ro>
          <pick/>
          <picked_label/>
          <score/>
          <fruits/>
          <meta><instanceID/></meta>
        </data>
      </instance>
      <bind nodeset="/data/show" type="select1"/>
      <bind nodeset="/data/g" relevant="/data/show = 'a'"/>
      <bind nodeset="/data/g/x" required="true()"/>
      <bind nodeset="/data/ro" readonly="true()"/>
      <bind nodeset="/data/pick" type="select1"/>
      <bind nodeset="/data/picked_label" calculate="jr:choice-name(/data/pick, '/data/pick')"/>
      <bind nodeset="/data/score" type="int"/>
      <bind nodeset="/data/fruits" type="select" constraint="count-selected(.) &lt;= 2" jr:constraintMsg="Maksimal dua"/>
    </model>
  </h:head>
  <h:body>
    <select1 ref="/data/show"><label ref="jr:itext('q1')"/>
      <item><label ref="jr:itext('c-a')"/><value>a</value></item>
      <item><label ref="jr:itext('c-b')"/><value>b</value></item>
    </select1>
    <group ref="/data/g" appearance="field-list"><label>Grup G</label>
      <input ref="x"><label ref="jr:itext('only_id')"/></input>
      <input ref="y"><label>Y</label><hint>Inline hint</hint></input>
    </group>
    <group ref="/data/ro"><input ref="z"><label>Z</label></input></group>
    <select1 ref="/data/pick" appearance="likert"><label>Pilih</label>
      <item><label ref="jr:itext('c-a')"/><value>a</value></item>
      <item><label ref="jr:itext('c-b')"/><value>b</value></item>
    </select1>
    <range ref="/data/score" start="1" end="5" step="1"><label>Nilai</label></range>
    <select ref="/data/fruits"><label>Buah</label>
      <item><label>Mangga</label><value>mangga</value></item>
      <item><label>Salak</label><value>salak</value></item>
      <item><label>Durian</label><value>durian</value></item>
    </select>
  </h:body>
</h:html>"#;

#[test]
fn groups_relevance_readonly_and_pages() {
    let mut s = session(GROUPS);
    // show, ro/z, pick, score, fruits (group g is not relevant yet).
    assert_eq!(s.page_count(), 5);
    ok(s.answer("/data/show", "a"));
    assert_eq!(s.page_count(), 6);
    assert!(ok(s.next_page()));
    let p = s.current_page().unwrap_or_else(|| panic!("page"));
    assert_eq!(p.title.as_deref(), Some("Grup G"));
    assert_eq!(p.questions.len(), 2);
    assert_eq!(p.questions[1].hint.as_deref(), Some("Inline hint"));
    assert_eq!(p.questions[1].value, "def");
    // Required inside the relevant group blocks navigation and finalize.
    assert!(matches!(s.next_page(), Err(SessionError::Invalid(_))));
    assert!(matches!(s.finalize(), Err(SessionError::Invalid(_))));
    // Once the group is irrelevant, its required question no longer matters and the
    // group disappears from the submission.
    ok(s.answer("/data/show", "b"));
    let sub = ok(s.finalize());
    assert!(!sub.xml.contains("<g>"), "{}", sub.xml);
    assert!(sub.xml.contains("<ro><z>fixed</z></ro>"));
    // Read-only through the group.
    assert!(matches!(
        s.answer("/data/ro/z", "x"),
        Err(SessionError::ReadOnly(_))
    ));
    assert!(s.question_at("/data/ro/z").is_some_and(|q| q.readonly));
}

#[test]
fn languages_choices_ranges_and_multi_selects() {
    let mut s = session(GROUPS);
    assert_eq!(s.language(), Some("Bahasa Indonesia"));
    ok(s.answer("/data/pick", "b"));
    assert_eq!(s.value("/data/picked_label"), Some("Pilihan B"));
    let q = s.question_at("/data/show").unwrap_or_else(|| panic!("q"));
    assert_eq!(q.label, "Pertanyaan satu");
    ok(s.set_language("English"));
    let q = s.question_at("/data/show").unwrap_or_else(|| panic!("q"));
    assert_eq!(q.label, "Question one");
    assert_eq!(q.choices[1].label, "Choice B");
    // A text missing in English falls back to the default language.
    let x = s.question_at("/data/g/x").unwrap_or_else(|| panic!("q"));
    assert_eq!(x.label, "Hanya Indonesia");
    assert!(s.set_language("Klingon").is_err());
    let pick = s.question_at("/data/pick").unwrap_or_else(|| panic!("q"));
    assert_eq!(pick.appearance.as_deref(), Some("likert"));
    assert_eq!(pick.kind, ControlKind::Select1);
    // Range bounds.
    assert!(matches!(
        s.answer("/data/score", "9"),
        Err(SessionError::InvalidValue { .. })
    ));
    ok(s.answer("/data/score", "4"));
    // Multi-select: values normalised, unknown values refused, constraint checked.
    ok(s.answer("/data/fruits", "  mangga   salak "));
    assert_eq!(s.value("/data/fruits"), Some("mangga salak"));
    assert!(matches!(
        s.answer("/data/fruits", "mangga apel"),
        Err(SessionError::InvalidValue { .. })
    ));
    ok(s.answer("/data/fruits", "mangga salak durian"));
    let issue = s.validate_question("/data/fruits");
    assert_eq!(issue.map(|i| i.message), Some("Maksimal dua".to_string()));
    ok(s.clear("/data/fruits"));
    assert_eq!(s.validate_question("/data/fruits"), None);
}

#[test]
fn expression_failures_are_reported_not_fatal() {
    let xml = r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
  <h:head><h:title>F</h:title><model>
    <instance><data id="f"><a/><b/></data></instance>
    <bind nodeset="/data/b" calculate="if(/data/a = '', '', regex(/data/a, '['))"/>
  </model></h:head>
  <h:body><input ref="/data/a"><label>A</label></input></h:body></h:html>"#;
    let mut s = session(xml);
    assert!(s.expression_failures().is_empty());
    ok(s.answer("/data/a", "x"));
    assert_eq!(s.expression_failures().len(), 1);
    assert_eq!(s.expression_failures()[0].path, "/data/b");
    assert_eq!(s.value("/data/a"), Some("x"));
}
