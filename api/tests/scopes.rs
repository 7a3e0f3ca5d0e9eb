//! The scopes that admit API clients are read from the generated OpenAPI document: the table the
//! server checks every client request against.

use credit_api::identity::scopes::ClientScopes;

fn scopes() -> ClientScopes {
    ClientScopes::from_openapi(&credit_api::openapi::document())
}

#[test]
fn r17_1_declared_scopes_are_read_from_the_document() {
    let table = scopes();
    let records = vec!["records:read".to_owned()];
    assert!(table.check("GET", Some("/api/v1/records"), &records).is_ok());
    assert!(table.check("POST", Some("/api/v1/records"), &records).is_err(), "reading is not writing");
    assert!(table.check("GET", Some("/api/v1/objections"), &records).is_err());
    let objections = vec!["objections:read".to_owned()];
    assert!(table.check("GET", Some("/api/v1/objections/{id}"), &objections).is_ok());
}

#[test]
fn r8_3_operations_without_scopes_are_for_people_only() {
    let table = scopes();
    let all: Vec<String> = credit_types::identity::SCOPES.iter().map(|s| (*s).to_owned()).collect();
    assert!(table.check("GET", Some("/api/v1/users"), &all).is_err());
    assert!(table.check("GET", Some("/api/v1/audit/events"), &all).is_err());
    assert!(table.check("GET", None, &all).is_ok(), "no operation: the fallback answers");
    assert!(table.check("GET", Some("/api/v1/portal/subjects"), &[]).is_ok(), "public operations pass");
}
