use serde::{Deserialize, Serialize};

/// A page of an HSDS API list (`GET /services`, ...), as the HSDS 3.0 OpenAPI `Page` defines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub total_items: u64,
    pub total_pages: u64,
    /// Counted from 1.
    pub page_number: u64,
    /// The number of items on this page.
    pub size: u64,
    pub first_page: bool,
    pub last_page: bool,
    pub empty: bool,
    pub contents: Vec<T>,
}

impl<T> Page<T> {
    /// Page `page_number` (from 1) of `total_items` split `per_page` to a page.
    pub fn new(contents: Vec<T>, total_items: u64, page_number: u64, per_page: u64) -> Self {
        let total_pages = if per_page == 0 {
            0
        } else {
            total_items.div_ceil(per_page)
        };
        let page_number = page_number.max(1);
        Page {
            total_items,
            total_pages,
            page_number,
            size: contents.len() as u64,
            first_page: page_number == 1,
            last_page: page_number >= total_pages,
            empty: contents.is_empty(),
            contents,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_arithmetic() {
        let p = Page::new(vec![1, 2], 5, 3, 2);
        assert_eq!(
            (p.total_pages, p.size, p.first_page, p.last_page, p.empty),
            (3, 2, false, true, false)
        );
        let empty: Page<u8> = Page::new(vec![], 0, 1, 10);
        assert!(empty.empty && empty.first_page && empty.last_page);
    }
}
