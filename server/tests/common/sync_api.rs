//! A Sync API client for the tests that checks every response against the served
//! `/sync/openapi.json`.

use super::TestApp;
use marktchat_services::api_clients::{ApiClients, Scope};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A Sync API client that checks every response against the served description.
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub token: Option<String>,
    pub spec: Value,
}

impl Api {
    pub async fn new(app: &TestApp, scopes: &[Scope]) -> Api {
        let name = format!("client {}", uuid::Uuid::new_v4());
        let token = ApiClients::new(&app.running.services.db).create(&name, scopes).await.unwrap();
        let http = reqwest::Client::new();
        let spec: Value =
            http.get(app.url("/sync/openapi.json")).send().await.unwrap().json().await.unwrap();
        Api { http, base: app.url(""), token: Some(token), spec }
    }

    pub fn with_token(&self, token: Option<&str>) -> Api {
        Api {
            http: self.http.clone(),
            base: self.base.clone(),
            token: token.map(str::to_owned),
            spec: self.spec.clone(),
        }
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method.clone(), format!("{}{path}", self.base));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        let value =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() };
        self.check_against_spec(&method, path, status, &value);
        (status, value)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body)).await
    }
    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::PUT, path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::DELETE, path, None).await
    }

    /// The response is one the description declares for this operation and status,
    /// and its body validates against the declared schema.
    pub fn check_against_spec(
        &self,
        method: &Method,
        path: &str,
        status: StatusCode,
        body: &Value,
    ) {
        let path = path.split('?').next().unwrap();
        let (template, item) = self.spec["paths"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(t, _)| {
                let (a, b): (Vec<&str>, Vec<&str>) =
                    (t.split('/').collect(), path.split('/').collect());
                a.len() == b.len()
                    && a.iter()
                        .zip(&b)
                        .all(|(x, y)| x == y || (x.starts_with('{') && !y.is_empty()))
            })
            .unwrap_or_else(|| panic!("{path} is not in /sync/openapi.json"));
        let op = &item[method.as_str().to_lowercase()];
        assert!(op.is_object(), "{method} {template} is not described");
        let response = op["responses"]
            .get(status.as_str())
            .unwrap_or_else(|| panic!("{method} {template} does not declare {status}: {body}"));
        let Some(schema) = response.pointer("/content/application~1json/schema") else {
            assert_eq!(body, &Value::Null, "{method} {template} {status} declares no body");
            return;
        };
        let mut root = schema.clone();
        root["components"] = self.spec["components"].clone();
        let validator = jsonschema::validator_for(&root).expect("the schema compiles");
        let errors: Vec<String> = validator.iter_errors(body).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{method} {path} {status}: {body}\n{errors:#?}");
    }
}
