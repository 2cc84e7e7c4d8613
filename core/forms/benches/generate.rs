//! Generates large synthetic XForms for benchmarks and scale tests.

/// An XForm with `questions` integer questions, `relevance` of them with a relevance
/// expression reading `/data/q0`, and `calculates` chained calculations
/// (`c{k} = c{k-1} + q{k*10}`): answering `/data/q0` touches every computation.
pub fn big_form(questions: usize, relevance: usize, calculates: usize) -> String {
    let mut instance = String::new();
    let mut binds = String::new();
    let mut body = String::new();
    for i in 0..questions {
        instance.push_str(&format!("<q{i}/>"));
        let rel = if i >= 1 && i <= relevance {
            format!(" relevant=\"/data/q0 &gt; {}\"", i % 50)
        } else {
            String::new()
        };
        binds.push_str(&format!(
            "<bind nodeset=\"/data/q{i}\" type=\"int\"{rel} constraint=\". &lt; 1000000\"/>\n"
        ));
        body.push_str(&format!(
            "<input ref=\"/data/q{i}\"><label>Pertanyaan {i}</label><hint>Isi angka</hint></input>\n"
        ));
    }
    for k in 0..calculates {
        instance.push_str(&format!("<c{k}/>"));
        let q = (k * 10) % questions.max(1);
        let expr = if k == 0 {
            format!("/data/q{q} * 2")
        } else {
            format!("/data/c{} + /data/q{q}", k - 1)
        };
        binds.push_str(&format!(
            "<bind nodeset=\"/data/c{k}\" type=\"decimal\" calculate=\"{expr}\"/>\n"
        ));
    }
    format!(
        r#"<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">
<h:head><h:title>Big</h:title><model>
<instance><data id="big">{instance}<meta><instanceID/></meta></data></instance>
{binds}<bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
</model></h:head>
<h:body>
{body}</h:body></h:html>"#
    )
}
