#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]

pub mod attachment;
pub mod auth;
pub mod error;
pub mod hex;
mod instance_id;
pub mod multipart;
pub mod openrosa;
pub mod phone;
pub mod receipt;
pub mod status;
pub mod submission;
pub mod upload;

pub use error::{ClientAction, ErrorBody, ErrorCode, FieldIssue};
pub use instance_id::{InstanceId, InstanceIdError};
pub use receipt::{AgencyPublicKey, Receipt, ReceiptError, ReceiptSigner, SignedReceipt};
pub use status::{StatusChange, StatusEntry, StatusFeedPage, SubmissionState};
pub use submission::{SubmissionAccepted, SubmissionSummary};

/// The path prefix of the citizen JSON extensions; bumped only on a breaking change.
pub const API_PREFIX: &str = "/v1";
