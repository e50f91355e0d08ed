//! The fixed lists a member chooses from when applying: professions, regulators and
//! organisations (the UK's police forces, or "other").

/// Professions: (stored value, label).
pub const PROFESSIONS: [(&str, &str); 8] = [
    ("oh-physician", "OH physician"),
    ("oh-nurse", "OH nurse"),
    ("oh-manager", "OH manager"),
    ("oh-technician", "OH technician"),
    ("physiotherapist", "Physiotherapist"),
    ("mental-health-nurse", "Mental health nurse"),
    ("administrator", "Administrator"),
    ("other", "Other"),
];

/// Professional regulators: (stored value, label).
pub const REGULATORS: [(&str, &str); 4] = [
    ("nmc", "Nursing and Midwifery Council (NMC)"),
    ("hcpc", "Health and Care Professions Council (HCPC)"),
    ("gmc", "General Medical Council (GMC)"),
    ("none", "None"),
];

/// The value for an organisation that is not a police force.
pub const OTHER_ORGANISATION: (&str, &str) = ("other", "Other organisation");

/// UK police forces: the 43 territorial forces of England and Wales, Police Scotland, the
/// Police Service of Northern Ireland and the national special police forces.
pub const POLICE_FORCES: [(&str, &str); 48] = [
    ("avon-and-somerset", "Avon and Somerset Constabulary"),
    ("bedfordshire", "Bedfordshire Police"),
    ("british-transport-police", "British Transport Police"),
    ("cambridgeshire", "Cambridgeshire Constabulary"),
    ("cheshire", "Cheshire Constabulary"),
    ("city-of-london", "City of London Police"),
    ("civil-nuclear-constabulary", "Civil Nuclear Constabulary"),
    ("cleveland", "Cleveland Police"),
    ("cumbria", "Cumbria Constabulary"),
    ("derbyshire", "Derbyshire Constabulary"),
    ("devon-and-cornwall", "Devon and Cornwall Police"),
    ("dorset", "Dorset Police"),
    ("durham", "Durham Constabulary"),
    ("dyfed-powys", "Dyfed-Powys Police"),
    ("essex", "Essex Police"),
    ("gloucestershire", "Gloucestershire Constabulary"),
    ("greater-manchester", "Greater Manchester Police"),
    ("gwent", "Gwent Police"),
    (
        "hampshire-and-isle-of-wight",
        "Hampshire and Isle of Wight Constabulary",
    ),
    ("hertfordshire", "Hertfordshire Constabulary"),
    ("humberside", "Humberside Police"),
    ("kent", "Kent Police"),
    ("lancashire", "Lancashire Constabulary"),
    ("leicestershire", "Leicestershire Police"),
    ("lincolnshire", "Lincolnshire Police"),
    ("merseyside", "Merseyside Police"),
    ("metropolitan", "Metropolitan Police Service"),
    ("ministry-of-defence-police", "Ministry of Defence Police"),
    ("norfolk", "Norfolk Constabulary"),
    ("north-wales", "North Wales Police"),
    ("north-yorkshire", "North Yorkshire Police"),
    ("northamptonshire", "Northamptonshire Police"),
    ("northumbria", "Northumbria Police"),
    ("nottinghamshire", "Nottinghamshire Police"),
    ("police-scotland", "Police Scotland"),
    ("psni", "Police Service of Northern Ireland"),
    ("south-wales", "South Wales Police"),
    ("south-yorkshire", "South Yorkshire Police"),
    ("staffordshire", "Staffordshire Police"),
    ("suffolk", "Suffolk Constabulary"),
    ("surrey", "Surrey Police"),
    ("sussex", "Sussex Police"),
    ("thames-valley", "Thames Valley Police"),
    ("warwickshire", "Warwickshire Police"),
    ("west-mercia", "West Mercia Police"),
    ("west-midlands", "West Midlands Police"),
    ("west-yorkshire", "West Yorkshire Police"),
    ("wiltshire", "Wiltshire Police"),
];

/// The label for a stored value in one of the lists, or the value itself.
pub fn label<'a>(list: &'a [(&'a str, &'a str)], value: &'a str) -> &'a str {
    list.iter()
        .find(|(stored, _)| *stored == value)
        .map_or(value, |(_, label)| *label)
}

/// The label of an organisation value (a force, or other).
pub fn organisation_label(value: &str) -> &str {
    if value == OTHER_ORGANISATION.0 {
        OTHER_ORGANISATION.1
    } else {
        label(&POLICE_FORCES, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn force_values_are_unique_slugs() {
        let mut values: Vec<&str> = POLICE_FORCES.iter().map(|(value, _)| *value).collect();
        assert!(values.iter().all(|value| crate::content::is_slug(value)));
        values.sort_unstable();
        values.dedup();
        assert_eq!(values.len(), POLICE_FORCES.len());
    }
}
