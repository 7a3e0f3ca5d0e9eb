//! Files people pick to send (PDFs and images, a CSV) and files they are shown: what was picked, and sizes and
//! kinds in words.

use wasm_bindgen::JsCast;

/// The kinds of document the platform takes as attachments and evidence.
pub const DOCUMENT_TYPES: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

/// A size in KB (at least 1) or MB, for people.
pub fn size_label(bytes: u32) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", f64::from(bytes) / 1024.0 / 1024.0)
    } else {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    }
}

/// The kind of a document, for people.
pub fn kind_label(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => "PDF 文件",
        "image/jpeg" => "JPEG 图片",
        "image/png" => "PNG 图片",
        _ => "文件",
    }
}

pub fn is_image(media_type: &str) -> bool {
    matches!(media_type, "image/jpeg" | "image/png")
}

/// The file input an event came from.
pub fn input_of(ev: &leptos::ev::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
}

/// The (first) file picked in the input an event came from.
pub fn picked(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    input_of(ev).and_then(|i| i.files()).and_then(|files| files.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_described_for_people() {
        assert_eq!(size_label(1500), "2 KB");
        assert_eq!(size_label(10), "1 KB");
        assert_eq!(size_label(3 * 1024 * 1024), "3.0 MB");
        assert_eq!(kind_label("application/pdf"), "PDF 文件");
        assert!(is_image("image/png"));
        assert!(!is_image("application/pdf"));
    }
}
