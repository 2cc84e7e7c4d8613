//! A profile's sub-APIs, one job each (`profile.outbox().list()`), in the shape of
//! bitwarden-uniffi's sub-clients. A view borrows the unlocked [`Profile`]: it holds
//! no state of its own, so getting one costs nothing.

use std::ops::Deref;

use crate::profile::Profile;

macro_rules! view {
    ($(#[$doc:meta])* $name:ident, $accessor:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub struct $name<'a> {
            profile: &'a Profile,
        }

        /// A view reads and writes through its profile (its key, its store).
        impl Deref for $name<'_> {
            type Target = Profile;
            fn deref(&self) -> &Profile {
                self.profile
            }
        }

        impl Profile {
            $(#[$doc])*
            pub fn $accessor(&self) -> $name<'_> {
                $name { profile: self }
            }
        }
    };
}

view!(
    /// Drafts: forms being filled in, with their sealed answers.
    Drafts,
    drafts
);
view!(
    /// Attachments: chunk-sealed files (photos, documents).
    Attachments,
    attachments
);
view!(
    /// The outbox: finalized submissions on their way to the agency.
    Outbox,
    outbox
);
view!(
    /// The agency's decisions: timelines and pending notifications.
    Timeline,
    timeline
);
view!(
    /// The forms kept on the phone for offline use.
    OfflineForms,
    forms
);
view!(
    /// The owner's details, the server account and the sync settings.
    Account,
    account
);
