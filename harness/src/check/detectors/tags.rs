//! Tagged completions: each command gets exactly one, carrying its own tag
//! (RFC 3501 §2.2.2). A completion for a tag never sent, or a second one, is a finding.

use super::{Ctx, Detector, Out};
use crate::check::requirements::ONE_TAGGED_COMPLETION;
use crate::check::verdict::Verdict;
use crate::model::Digest;
use crate::wire::response::Response;

const NAME: &str = "tags";

pub struct Tags;

impl Detector for Tags {
    fn on_response(&mut self, cx: &Ctx<'_>, r: &Response<'_>, _d: &Digest, out: &mut Out) {
        let (Response::Tagged(t), Some(view)) = (r, cx.view()) else {
            return;
        };
        let tag = String::from_utf8_lossy(t.tag.as_bytes());
        let partial = view.partial.as_ref().is_some_and(|p| p.tag == tag);
        if partial || view.in_flight(&tag).is_some() || view.abandoned.iter().any(|a| *a == tag) {
            return;
        }
        let v = match view.completed.get(tag.as_ref()) {
            Some(&first) => cx
                .violation(NAME, ONE_TAGGED_COMPLETION)
                .expected(format!("one tagged completion for {tag}"))
                .observed(format!("a second one (the first was event {first})"))
                .evidence([first])
                .because("a command is completed exactly once"),
            None => cx
                .violation(NAME, ONE_TAGGED_COMPLETION)
                .expected("tagged responses only for tags the client sent")
                .observed(format!("a completion for {tag}, which is not in flight"))
                .because("a tagged response must carry the tag of a command in progress"),
        };
        // After a deliberately malformed command the server may have read our bytes
        // differently (a literal length lie turns data into "commands"): not decidable.
        let v = if view.mutated {
            v.graded(Verdict::Unknown)
        } else {
            v
        };
        out.push(v);
    }
}
