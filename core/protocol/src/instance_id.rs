//! The OpenRosa instance identifier: the idempotency key of a submission end to end.
//!
//! ODK writes it as `uuid:` followed by a lowercase RFC 4122 UUID in
//! `/data/meta/instanceID`; servers (ODK Central, KoboToolbox, ours) dedupe on it.

use std::fmt;
use std::str::FromStr;

const PREFIX: &str = "uuid:";

/// A submission's `meta/instanceID`, always in the canonical `uuid:<lowercase uuid>` form.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct InstanceId(String);

/// Why a string is not an instance identifier.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InstanceIdError {
    #[error("instance id must start with \"uuid:\"")]
    MissingPrefix,
    #[error("instance id is not a valid UUID")]
    InvalidUuid,
}

impl InstanceId {
    /// A fresh random (version 4) instance id.
    pub fn new_random() -> Self {
        Self(format!("{PREFIX}{}", uuid::Uuid::new_v4().hyphenated()))
    }

    /// The full `uuid:...` text, as written into the submission XML.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for InstanceId {
    type Err = InstanceIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = s
            .strip_prefix(PREFIX)
            .ok_or(InstanceIdError::MissingPrefix)?;
        let uuid = uuid::Uuid::parse_str(rest).map_err(|_| InstanceIdError::InvalidUuid)?;
        Ok(Self(format!("{PREFIX}{}", uuid.hyphenated())))
    }
}

impl fmt::Display for InstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_round_trip_and_differ() {
        let a = InstanceId::new_random();
        let b = InstanceId::new_random();
        assert_ne!(a, b);
        assert_eq!(a.as_str().parse::<InstanceId>(), Ok(a.clone()));
        assert!(a.as_str().starts_with("uuid:"));
        assert_eq!(a.as_str().len(), 41);
    }

    #[test]
    fn parsing_canonicalises_case_and_rejects_garbage() {
        let id: InstanceId = "uuid:6F1E2A4C-0B7D-4C55-9E21-3A8F0D9B1C2E".parse().unwrap();
        assert_eq!(id.as_str(), "uuid:6f1e2a4c-0b7d-4c55-9e21-3a8f0d9b1c2e");
        assert_eq!(
            "6f1e2a4c-0b7d-4c55-9e21-3a8f0d9b1c2e".parse::<InstanceId>(),
            Err(InstanceIdError::MissingPrefix)
        );
        assert_eq!(
            "uuid:not-a-uuid".parse::<InstanceId>(),
            Err(InstanceIdError::InvalidUuid)
        );
    }
}
