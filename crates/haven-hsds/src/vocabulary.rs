//! Haven's own vocabulary, carried as ordinary HSDS records so every export stays valid HSDS:
//! each list is a `taxonomy` with `taxonomy_term`s, and a record is tagged by an `attribute`
//! (`link_id` = the record, `link_entity` = its table, `taxonomy_term_id` = the term).
//!
//! Ids are fixed forever: UUID v5 of [`NAMESPACE`] and a readable name —
//! `taxonomy:<taxonomy code>`, `term:<taxonomy code>:<term code>`, and for attributes
//! `attribute:<link_entity>:<link_id>:<term id>` — so every Haven instance, and every
//! re-import, produces the same ids. Codes are stable; labels (English) may be reworded.

use uuid::Uuid;

use crate::model::{Attribute, Dataset, Extensions, Table, Taxonomy, TaxonomyTerm};

/// The namespace of all of Haven's UUID v5 ids. Never change it: stored ids depend on it.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x9b85_3243_a7e9_418c_a874_593f_e8c1_9103);

/// Id of a Haven taxonomy, from its code.
pub fn taxonomy_id(taxonomy_code: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("taxonomy:{taxonomy_code}").as_bytes())
}

/// Id of a Haven taxonomy term, from its taxonomy's code and its own.
pub fn term_id(taxonomy_code: &str, term_code: &str) -> Uuid {
    Uuid::new_v5(
        &NAMESPACE,
        format!("term:{taxonomy_code}:{term_code}").as_bytes(),
    )
}

/// Id of the attribute that tags `link_id` (in `link_entity`) with `term_id`: the same tag
/// always has the same id, so tagging twice cannot duplicate it.
pub fn attribute_id(link_entity: Table, link_id: Uuid, term_id: Uuid) -> Uuid {
    Uuid::new_v5(
        &NAMESPACE,
        format!("attribute:{link_entity}:{link_id}:{term_id}").as_bytes(),
    )
}

/// One of Haven's taxonomies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vocabulary {
    /// Stable code, used in ids and as `taxonomy_term.taxonomy`.
    pub code: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// The `attribute.link_type` of tags from this taxonomy.
    pub link_type: &'static str,
    /// The table whose records it tags.
    pub applies_to: Table,
}

pub const NEEDS: Vocabulary = Vocabulary {
    code: "haven-needs",
    name: "Haven needs",
    description: "What a service helps people seeking sanctuary with.",
    link_type: "need",
    applies_to: Table::Service,
};
pub const ELIGIBILITY: Vocabulary = Vocabulary {
    code: "haven-immigration-status",
    name: "Haven eligibility by immigration status",
    description: "Which people a service is open to, by immigration status.",
    link_type: "eligibility",
    applies_to: Table::Service,
};
pub const SCOPE: Vocabulary = Vocabulary {
    code: "haven-scope",
    name: "Haven scope",
    description: "How far an organisation's work reaches.",
    link_type: "scope",
    applies_to: Table::Organization,
};
pub const LOCATION_FLAGS: Vocabulary = Vocabulary {
    code: "haven-location-flags",
    name: "Haven location flags",
    description: "How a location may be shown to the public.",
    link_type: "location_flag",
    applies_to: Table::Location,
};

/// All of Haven's taxonomies.
pub const VOCABULARIES: [Vocabulary; 4] = [NEEDS, ELIGIBILITY, SCOPE, LOCATION_FLAGS];

/// A term of one of Haven's taxonomies.
pub trait Term: Copy + Sized + 'static {
    const VOCABULARY: Vocabulary;
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;

    fn term_id(self) -> Uuid {
        term_id(Self::VOCABULARY.code, self.code())
    }

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.code() == code)
    }

    fn from_term_id(id: Uuid) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.term_id() == id)
    }

    /// The attribute tagging record `link_id` with this term.
    fn attribute_for(self, link_id: Uuid) -> Attribute {
        let vocabulary = Self::VOCABULARY;
        Attribute {
            id: attribute_id(vocabulary.applies_to, link_id, self.term_id()),
            link_id: Some(link_id),
            taxonomy_term_id: Some(self.term_id()),
            link_type: Some(vocabulary.link_type.to_owned()),
            link_entity: Some(vocabulary.applies_to.name().to_owned()),
            value: None,
            extra: Extensions::new(),
        }
    }

    /// The terms `dataset` tags record `link_id` with, in term order.
    fn of(dataset: &Dataset, link_id: Uuid) -> Vec<Self> {
        let tagged: Vec<Uuid> = dataset
            .attributes_of(link_id)
            .filter_map(|a| a.taxonomy_term_id)
            .collect();
        Self::ALL
            .iter()
            .copied()
            .filter(|t| tagged.contains(&t.term_id()))
            .collect()
    }
}

macro_rules! terms {
    ($(#[$meta:meta])* $name:ident in $vocabulary:ident { $($variant:ident = $code:literal, $label:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),* }

        impl Term for $name {
            const VOCABULARY: Vocabulary = $vocabulary;
            const ALL: &'static [Self] = &[$($name::$variant),*];
            fn code(self) -> &'static str { match self { $($name::$variant => $code),* } }
            fn label(self) -> &'static str { match self { $($name::$variant => $label),* } }
        }
    };
}

terms!(
    /// What a service helps with.
    Need in NEEDS {
        LegalAdvice = "legal-advice", "Asylum and immigration legal advice";
        LegalRepresentation = "legal-representation", "Access to legal representation";
        AsylumSupport = "asylum-support", "Asylum support and destitution (food, money, shelter)";
        Housing = "housing", "Housing";
        Health = "health", "Health and mental health";
        DetentionSupport = "detention-support", "Detention support";
        Esol = "esol", "English (ESOL) classes";
        Education = "education", "Education and access to university";
        Employment = "employment", "Employment and re-qualification";
        Mentoring = "mentoring", "Mentoring and befriending";
        FamilyReunion = "family-reunion", "Family reunion";
        Resettlement = "resettlement", "Resettlement";
        HateCrime = "hate-crime", "Hate crime and discrimination support";
        WomensGroups = "womens-groups", "Women's groups";
        YouthGroups = "youth-groups", "Youth groups";
        ChildrenAndFamilies = "children-families", "Children and families";
        RomaCommunities = "roma-communities", "Roma communities";
        Lgbtqi = "lgbtqi-asylum", "LGBTQI+ people seeking asylum";
        CommunityOrganising = "community-organising", "Community organising and leadership";
        VoterRegistration = "voter-registration", "Voter registration";
        Campaigning = "campaigning", "Campaigning";
    }
);

terms!(
    /// Who a service is open to, by immigration status.
    ImmigrationStatus in ELIGIBILITY {
        AsylumSeeker = "asylum-seeker", "People seeking asylum";
        RefusedAsylumSeeker = "refused-asylum-seeker", "People refused asylum";
        Refugee = "refugee", "Refugees";
        Undocumented = "undocumented", "Undocumented people";
        EuSettledStatus = "eu-settled-status", "EU settled or pre-settled status";
        UnaccompaniedChild = "unaccompanied-child", "Unaccompanied children";
        Anyone = "anyone", "Anyone";
    }
);

terms!(
    /// How far an organisation's work reaches (tags an organization).
    Scope in SCOPE {
        Local = "local", "Local";
        Regional = "regional", "Regional";
        National = "national", "National";
    }
);

terms!(
    /// Flags on a location (tags a location). `Confidential`: no address or precise point is
    /// ever published; see [`crate::redact`].
    LocationFlag in LOCATION_FLAGS {
        Confidential = "confidential", "Confidential location: address withheld";
    }
);

fn taxonomy_record(v: Vocabulary) -> Taxonomy {
    Taxonomy {
        id: taxonomy_id(v.code),
        name: v.name.to_owned(),
        description: v.description.to_owned(),
        uri: None,
        version: Some("1".to_owned()),
        extra: Extensions::new(),
    }
}

fn term_records<T: Term>() -> Vec<TaxonomyTerm> {
    T::ALL
        .iter()
        .map(|t| TaxonomyTerm {
            id: t.term_id(),
            code: Some(t.code().to_owned()),
            name: t.label().to_owned(),
            description: t.label().to_owned(),
            parent_id: None,
            taxonomy: Some(T::VOCABULARY.code.to_owned()),
            language: Some("en".to_owned()),
            taxonomy_id: Some(taxonomy_id(T::VOCABULARY.code)),
            term_uri: None,
            extra: Extensions::new(),
        })
        .collect()
}

/// Haven's taxonomies and all their terms, ready to store or export.
pub fn vocabulary_dataset() -> Dataset {
    let mut dataset = Dataset::new();
    dataset.taxonomy = VOCABULARIES.iter().map(|v| taxonomy_record(*v)).collect();
    dataset.taxonomy_term.extend(term_records::<Need>());
    dataset
        .taxonomy_term
        .extend(term_records::<ImmigrationStatus>());
    dataset.taxonomy_term.extend(term_records::<Scope>());
    dataset.taxonomy_term.extend(term_records::<LocationFlag>());
    dataset
}

/// Whether `dataset` flags location `location_id` as confidential.
pub fn is_confidential(dataset: &Dataset, location_id: Uuid) -> bool {
    let flag = LocationFlag::Confidential.term_id();
    dataset
        .attributes_of(location_id)
        .any(|a| a.taxonomy_term_id == Some(flag))
}

/// An organisation's scope, if tagged (the first, should there be several).
pub fn scope_of(dataset: &Dataset, organization_id: Uuid) -> Option<Scope> {
    Scope::of(dataset, organization_id).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_stable_and_distinct() {
        // Pinned: a change here would orphan every stored tag.
        assert_eq!(
            Need::LegalAdvice.term_id(),
            Uuid::new_v5(&NAMESPACE, b"term:haven-needs:legal-advice")
        );
        let vocab = vocabulary_dataset();
        let ids: HashSet<Uuid> = vocab.taxonomy_term.iter().map(|t| t.id).collect();
        assert_eq!(ids.len(), vocab.taxonomy_term.len());
        assert_eq!(Need::ALL.len(), 21);
        assert_eq!(ImmigrationStatus::ALL.len(), 7);
        assert_eq!(Need::from_code("esol"), Some(Need::Esol));
    }

    #[test]
    fn tags_are_found_again() {
        let mut ds = vocabulary_dataset();
        let service = Uuid::new_v4();
        ds.attribute.push(Need::Housing.attribute_for(service));
        ds.attribute
            .push(ImmigrationStatus::Refugee.attribute_for(service));
        assert_eq!(Need::of(&ds, service), vec![Need::Housing]);
        assert_eq!(
            ImmigrationStatus::of(&ds, service),
            vec![ImmigrationStatus::Refugee]
        );
        assert!(!is_confidential(&ds, service));
    }
}
