//! Names of the FIT profile's enumerations that racegap shows or matches on (file type,
//! manufacturer, product, sport, sub-sport), from fitparser's copy of the Garmin profile,
//! so a device reads "garmin fenix5" whichever decoder read the file.

use fitparser::profile::field_types::{
    FaveroProduct, File, GarminProduct, Manufacturer, Sport, SubSport,
};

/// The file_id message's `type` (4 is "activity").
pub fn file_type(v: u8) -> String {
    File::from(v).to_string()
}

pub fn manufacturer(v: u16) -> String {
    Manufacturer::from(v).to_string()
}

/// The file_id message's `product`, named as the profile's sub-field for the manufacturer
/// (garmin_product for Garmin, Dynastream and Tacx devices; favero_product for Favero);
/// other makers' products are numbers.
pub fn product(manufacturer: Option<u16>, v: u16) -> String {
    let garmin = [Manufacturer::Garmin, Manufacturer::Dynastream]
        .into_iter()
        .chain([Manufacturer::DynastreamOem, Manufacturer::Tacx])
        .map(Manufacturer::as_u16);
    match manufacturer {
        Some(m) if garmin.clone().any(|g| g == m) => GarminProduct::from(v).to_string(),
        Some(m) if m == Manufacturer::FaveroElectronics.as_u16() => {
            FaveroProduct::from(v).to_string()
        }
        _ => v.to_string(),
    }
}

pub fn sport(v: u8) -> String {
    Sport::from(v).to_string()
}

pub fn sub_sport(v: u8) -> String {
    SubSport::from(v).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_the_profile() {
        assert_eq!(file_type(4), "activity");
        assert_eq!(file_type(2), "settings");
        assert_eq!(manufacturer(1), "garmin");
        assert_eq!(manufacturer(65000), "65000");
        assert_eq!(product(Some(1), 2697), "fenix5");
        assert_eq!(product(Some(263), 10), "assioma_uno");
        assert_eq!(product(Some(32), 2697), "2697");
        assert_eq!(product(None, 7), "7");
        assert_eq!(sport(1), "running");
        assert_eq!(sub_sport(0), "generic");
        assert_eq!(sub_sport(3), "trail");
    }
}
