//! The `dbplane` command line's operation commands, generated from every spec:
//! `dbplane <vendor> <service> <operation> --<path-parameter> …`.

use std::collections::BTreeMap;

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::codegen::names::setter_name;
use crate::codegen::output::format_generated;
use crate::spec::{LoadedSpec, Service};

/// Where the generated commands go.
pub const OUTPUT: &str = "crates/dbplane-cli/src/generated/commands.rs";

/// One operation as the command line sees it.
struct Command {
    vendor: String,
    service: String,
    name: String,
    method: String,
    about: String,
    long_about: String,
    params: Vec<Param>,
    /// The request body's generated type and documented example, when the operation takes
    /// one.
    body: Option<(String, Option<String>)>,
    /// The operation requires its body (`requestBody.required`).
    body_required: bool,
    /// `x-dbplane-wait`: the waiter, and its inputs from this operation's parameters.
    wait: Option<(String, Vec<(String, String)>)>,
    /// The waiter polls this very operation (a `show`): `--wait` goes straight to it, so an
    /// answer the waiter tolerates (a job not visible yet) does not end the command.
    wait_polls_itself: bool,
    /// Whether the operation is paginated (`--all`).
    paginated: bool,
    /// Former names (`x-dbplane-aliases`), in kebab case: hidden aliases, so that scripts
    /// written against them keep working.
    aliases: Vec<String>,
    /// What `--help` sorts by: the resource (the path without its placeholders), then the name.
    resource: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Integer,
    Boolean,
}

struct Param {
    name: String,
    /// The flag: `x-dbplane-cli-flag`, else the name in kebab case.
    flag: String,
    kind: Kind,
    /// Path parameters and required query parameters must be given.
    required: bool,
    /// The unsigned type typify gives an integer whose `minimum` is at least 1 (`u32`, `u64`).
    unsigned: Option<&'static str>,
    help: String,
}

/// The generated source of the command tree and its dispatcher.
pub fn render(specs: &[(Service, LoadedSpec)]) -> Result<String, String> {
    let commands: Vec<Command> = specs
        .iter()
        .flat_map(|(service, spec)| commands_of(service, spec))
        .collect();
    let mut tree: BTreeMap<&str, BTreeMap<&str, Vec<&Command>>> = BTreeMap::new();
    let mut vendor_titles: BTreeMap<&str, String> = BTreeMap::new();
    let mut service_titles: BTreeMap<(&str, &str), String> = BTreeMap::new();
    for ((service, spec), ops) in specs.iter().zip(group_by_spec(specs, &commands)) {
        let info = &spec.json["info"];
        vendor_titles.insert(
            &service.vendor,
            info["x-dbplane-vendor"]
                .as_str()
                .unwrap_or(&service.vendor)
                .to_string(),
        );
        service_titles.insert(
            (&service.vendor, &service.name),
            info["title"].as_str().unwrap_or(&service.name).to_string(),
        );
        tree.entry(&service.vendor)
            .or_default()
            .insert(&service.name, ops);
    }

    let vendor_commands = tree.iter().map(|(vendor, services)| {
        let about = format!("{} operations", vendor_titles[vendor]);
        let service_commands = services.iter().map(|(service, ops)| {
            let about = &service_titles[&(*vendor, *service)];
            let op_commands = ops.iter().map(|op| command_tokens(op));
            quote! {
                Command::new(#service).about(#about).subcommand_required(true).arg_required_else_help(true)
                    #(.subcommand(#op_commands))*
            }
        });
        quote! {
            Command::new(#vendor).about(#about).subcommand_required(true).arg_required_else_help(true)
                #(.subcommand(#service_commands))*
        }
    });
    let arms = commands.iter().map(dispatch_arm);

    let tokens = quote! {
        use clap::{Arg, ArgMatches, Command};
        use dbplane_core::CallExt as _;

        use crate::context::{CliError, Context};

        /// One command per vendor, with a subcommand per service and operation.
        pub fn vendor_commands() -> Vec<Command> {
            vec![#(#vendor_commands),*]
        }

        /// Runs `vendor service operation` with its arguments; returns the answer as JSON.
        pub async fn run(
            ctx: &Context,
            (vendor, service, operation): (&str, &str, &str),
            matches: &ArgMatches,
        ) -> Result<serde_json::Value, CliError> {
            match (vendor, service, operation) {
                #(#arms)*
                _ => Err(CliError::Usage(format!("unknown operation {vendor} {service} {operation}"))),
            }
        }
    };
    format_generated(tokens, "specs/ (every spec)")
}

/// The commands of each spec, in spec order.
fn group_by_spec<'a>(
    specs: &[(Service, LoadedSpec)],
    commands: &'a [Command],
) -> Vec<Vec<&'a Command>> {
    specs
        .iter()
        .map(|(service, _)| {
            commands
                .iter()
                .filter(|c| c.vendor == service.vendor && c.service == service.name)
                .collect::<Vec<_>>()
        })
        .map(|mut ops| {
            ops.sort_by(|a, b| (&a.resource, &a.name).cmp(&(&b.resource, &b.name)));
            ops
        })
        .collect()
}

fn commands_of(service: &Service, spec: &LoadedSpec) -> Vec<Command> {
    let mut out = Vec::new();
    for operation in dbplane_spec::operations(&spec.json) {
        let op = operation.op;
        let Some(id) = operation.id() else {
            continue;
        };
        let params = operation
            .parameters(&spec.json)
            .into_iter()
            .filter(|p| p["in"] == "path" || p["in"] == "query")
            .map(|p| {
                let schema = dbplane_spec::resolve(&spec.json, &p["schema"]);
                Param {
                    name: p["name"].as_str().unwrap_or_default().to_string(),
                    flag: p["x-dbplane-cli-flag"]
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| p["name"].as_str().unwrap_or_default().to_kebab_case()),
                    kind: match schema["type"].as_str() {
                        Some("integer") => Kind::Integer,
                        Some("boolean") => Kind::Boolean,
                        _ => Kind::Text,
                    },
                    required: p["in"] == "path" || p["required"] == serde_json::Value::Bool(true),
                    unsigned: (schema["type"] == "integer"
                        && schema["minimum"].as_f64().is_some_and(|m| m >= 1.0))
                    .then(|| {
                        if schema["format"] == "int32" {
                            "u32"
                        } else {
                            "u64"
                        }
                    }),
                    help: one_line(p["description"].as_str().unwrap_or_default()),
                }
            })
            .collect();
        let body = op
            .pointer("/requestBody/content/application~1json/schema/$ref")
            .and_then(serde_json::Value::as_str)
            .map(|r| {
                let ty = r
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_upper_camel_case();
                let example = op
                    .pointer("/requestBody/content/application~1json/example")
                    .map(serde_json::Value::to_string);
                (ty, example)
            });
        let wait = op.get("x-dbplane-wait").map(|w| {
            let waiter = w["waiter"].as_str().unwrap_or_default().to_string();
            // In the order of the generated `wait_until_*` method's arguments.
            let inputs = crate::codegen::lifecycle::waiter_inputs(spec, &waiter)
                .into_iter()
                .map(|input| {
                    let param = w["inputs"][&input].as_str().unwrap_or_default().to_string();
                    (input, param)
                })
                .collect();
            (waiter, inputs)
        });
        out.push(Command {
            vendor: service.vendor.clone(),
            service: service.name.clone(),
            name: id.to_kebab_case(),
            method: id.to_snake_case(),
            about: one_line(op["summary"].as_str().unwrap_or_default()),
            long_about: op["description"]
                .as_str()
                .unwrap_or_default()
                .trim()
                .to_string(),
            params,
            body,
            body_required: op["requestBody"]["required"] == serde_json::Value::Bool(true),
            wait_polls_itself: wait.as_ref().is_some_and(|(waiter, _)| {
                crate::codegen::lifecycle::waiter_operation(spec, waiter).as_deref() == Some(id)
            }),
            wait,
            paginated: op.get("x-dbplane-pagination").is_some(),
            aliases: op["x-dbplane-aliases"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(|a| a.to_kebab_case()))
                .collect(),
            resource: resource_of(operation.path),
        });
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `project_id` comes from the global `--project-id` or the credentials, so it is not an argument.
fn is_project_id(param: &Param) -> bool {
    param.name == "project_id"
}

/// The resource a path acts on, for sorting: its segments without placeholders, the version
/// and the `#fragment` (`/v3/{project_id}/instances/{id}/action` → `instances/action`).
fn resource_of(path: &str) -> String {
    let path = path.split('#').next().unwrap_or(path);
    path.split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .filter(|s| {
            !(s.starts_with('v')
                && s[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
                && s.len() > 1)
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn command_tokens(op: &Command) -> TokenStream {
    let (name, about) = (&op.name, &op.about);
    let long_about = if op.aliases.is_empty() {
        op.long_about.clone()
    } else {
        let former: Vec<String> = op.aliases.iter().map(|a| format!("`{a}`")).collect();
        format!(
            "{}\n\nFormerly {} (still accepted).",
            op.long_about,
            former.join(", ")
        )
        .trim_start()
        .to_string()
    };
    let aliases = &op.aliases;
    let args = op.params.iter().filter(|p| !is_project_id(p)).map(|p| {
        let (id, long, help) = (&p.name, &p.flag, &p.help);
        let value_name = p.flag.to_shouty_snake_case();
        let parser = match p.kind {
            Kind::Integer => quote!(clap::value_parser!(i64)),
            Kind::Boolean => quote!(clap::value_parser!(bool)),
            Kind::Text => quote!(clap::builder::NonEmptyStringValueParser::new()),
        };
        let required = p.required;
        quote! { Arg::new(#id).long(#long).value_name(#value_name).required(#required).value_parser(#parser).help(#help) }
    });
    let mut extra = Vec::new();
    if op.body.is_some() {
        let required = op.body_required;
        extra.push(quote! { crate::context::body_arg(#required) });
        extra.push(quote! { crate::context::example_body_arg() });
    }
    if op.paginated {
        extra.push(quote! { crate::context::all_arg() });
        extra.push(quote! { crate::context::max_pages_arg() });
        extra.push(quote! { crate::context::max_items_arg() });
    }
    if let Some((waiter, _)) = &op.wait {
        extra.push(quote! { crate::context::wait_arg(#waiter) });
        extra.push(quote! { crate::context::wait_timeout_arg() });
    }
    quote! {
        Command::new(#name).about(#about).long_about(#long_about) #(.alias(#aliases))* #(.arg(#args))* #(.arg(#extra))*
    }
}

fn dispatch_arm(op: &Command) -> TokenStream {
    let (vendor, service, name) = (&op.vendor, &op.service, &op.name);
    let krate = format_ident!("dbplane_{}", op.vendor.to_snake_case());
    let module = format_ident!("{}", op.service);
    let method = format_ident!("{}", op.method);
    let value = |p: &Param| {
        let id = &p.name;
        if let Some(unsigned) = p.unsigned {
            let ty = format_ident!("{unsigned}");
            return quote!(ctx.positive::<#ty>(matches, #id)?);
        }
        match (is_project_id(p), p.kind, p.required) {
            (true, _, _) => quote!(Some(project_id.as_str())),
            (_, Kind::Integer, true) => quote!(Some(ctx.integer(matches, #id)?)),
            (_, Kind::Integer, false) => quote!(matches.get_one::<i64>(#id).copied()),
            (_, Kind::Boolean, _) => quote!(matches.get_one::<bool>(#id).copied()),
            (_, Kind::Text, true) => quote!(Some(ctx.string(matches, #id)?)),
            (_, Kind::Text, false) => quote!(matches.get_one::<String>(#id).map(String::as_str)),
        }
    };
    let project = op
        .params
        .iter()
        .any(is_project_id)
        .then(|| quote! { let project_id = ctx.project_id(#vendor)?; });
    let setters = op.params.iter().map(|p| {
        let setter = setter_name(&p.name);
        let value = value(p);
        quote! {
            if let Some(value) = #value {
                request = request.#setter(value);
            }
        }
    });
    let example = op.body.as_ref().map(|(_, example)| {
        let example = example.as_deref().unwrap_or("null");
        quote! {
            if let Some(example) = ctx.example_body(matches, #example)? {
                return Ok(example);
            }
        }
    });
    let body = op.body.as_ref().map(|(ty, _)| {
        let ty = format_ident!("{ty}");
        quote! {
            if let Some(body) = ctx.body::<#krate::#module::types::#ty>(matches)? {
                request = request.body(body);
            }
        }
    });
    let all = op.paginated.then(|| {
        quote! {
            if ctx.wants_all(matches) {
                return ctx.collect(request.stream()).await;
            }
        }
    });
    let wait = op.wait.as_ref().map(|(waiter, inputs)| {
        let wait_method = format_ident!("wait_until_{}", waiter.to_snake_case());
        // Inputs the answer gives (`/job_id`: the job the call started), read before the wait.
        let from_answer: Vec<(proc_macro2::Ident, &String)> = inputs
            .iter()
            .filter(|(_, p)| p.starts_with('/'))
            .map(|(input, p)| (format_ident!("answer_{}", input.to_snake_case()), p))
            .collect();
        let reads = from_answer
            .iter()
            .map(|(var, pointer)| quote!(let #var = ctx.answer_text(&answer, #pointer)?;));
        let args = inputs.iter().map(|(input, param_name)| {
            if param_name.starts_with('/') {
                let var = format_ident!("answer_{}", input.to_snake_case());
                return quote!(#var.as_str());
            }
            let param = op.params.iter().find(|p| &p.name == param_name);
            match param {
                Some(p) if is_project_id(p) => quote!(project_id.as_str()),
                Some(p) if p.kind == Kind::Integer => {
                    let id = &p.name;
                    quote!(ctx.integer(matches, #id)?)
                }
                Some(p) => {
                    let id = &p.name;
                    quote!(ctx.string(matches, #id)?)
                }
                None => quote!(compile_error!("x-dbplane-wait names an unknown parameter")),
            }
        });
        let started = if op.wait_polls_itself {
            quote!(serde_json::Value::Null)
        } else {
            quote!(answer)
        };
        quote! {
            if let Some(max_wait) = ctx.wait(matches) {
                #(#reads)*
                return ctx.wait_for(client.#wait_method(#(#args),*), max_wait, #started).await;
            }
        }
    });
    let (wait_first, wait_after) = if op.wait_polls_itself {
        (wait, None)
    } else {
        (None, wait)
    };
    quote! {
        (#vendor, #service, #name) => {
            #example
            let client: #krate::#module::Client = ctx.client(#vendor)?;
            #project
            #[allow(unused_mut)]
            let mut request = client.#method();
            #(#setters)*
            #body
            #all
            #wait_first
            let answer = serde_json::to_value(request.send().outcome().await?.into_inner())?;
            #wait_after
            Ok(answer)
        }
    }
}

/// What a script sees of a spec through the command line: each operation's command and
/// its flags (with their value kind). A flag that disappears or changes breaks scripts.
pub fn surface(service: &Service, spec: &LoadedSpec) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for command in commands_of(service, spec) {
        // A command answers to its name and to each alias alike.
        for name in std::iter::once(&command.name).chain(&command.aliases) {
            let path = format!("dbplane {} {} {name}", command.vendor, command.service);
            out.insert(format!("CLI `{path}`"));
            for param in &command.params {
                let kind = match param.kind {
                    Kind::Integer => "integer",
                    Kind::Boolean => "boolean",
                    Kind::Text => "text",
                };
                let required = if param.required { ", required" } else { "" };
                out.insert(format!(
                    "CLI `{path}` flag `--{}` ({kind}{required})",
                    param.flag
                ));
            }
            if command.wait.is_some() {
                out.insert(format!("CLI `{path}` flag `--wait`"));
            }
            if command.paginated {
                out.insert(format!("CLI `{path}` flag `--all`"));
            }
        }
    }
    out
}
