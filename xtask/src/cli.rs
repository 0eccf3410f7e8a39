//! The `dbplane` command line's operation commands, generated from every spec:
//! `dbplane <vendor> <service> <operation> --<path-parameter> …`.

use std::collections::BTreeMap;

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::generate::format_generated;
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
}

struct Param {
    name: String,
    /// The flag: `x-dbplane-cli-flag`, else the name in kebab case.
    flag: String,
    integer: bool,
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
                .collect()
        })
        .collect()
}

fn commands_of(service: &Service, spec: &LoadedSpec) -> Vec<Command> {
    let mut out = Vec::new();
    for op in dbplane_spec::operations(&spec.json).map(|o| o.op) {
        let Some(id) = op["operationId"].as_str() else {
            continue;
        };
        let params = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "path")
            .map(|p| Param {
                name: p["name"].as_str().unwrap_or_default().to_string(),
                flag: p["x-dbplane-cli-flag"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| p["name"].as_str().unwrap_or_default().to_kebab_case()),
                integer: p["schema"]["type"] == "integer",
                help: one_line(p["description"].as_str().unwrap_or_default()),
            })
            .collect();
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

fn command_tokens(op: &Command) -> TokenStream {
    let (name, about, long_about) = (&op.name, &op.about, &op.long_about);
    let args = op.params.iter().filter(|p| !is_project_id(p)).map(|p| {
        let (id, long, help) = (&p.name, &p.flag, &p.help);
        let value_name = p.flag.to_shouty_snake_case();
        let parser = if p.integer { quote!(clap::value_parser!(i64)) } else { quote!(clap::builder::NonEmptyStringValueParser::new()) };
        quote! { Arg::new(#id).long(#long).value_name(#value_name).required(true).value_parser(#parser).help(#help) }
    });
    quote! {
        Command::new(#name).about(#about).long_about(#long_about) #(.arg(#args))*
    }
}

fn dispatch_arm(op: &Command) -> TokenStream {
    let (vendor, service, name) = (&op.vendor, &op.service, &op.name);
    let krate = format_ident!("dbplane_{}", op.vendor.to_snake_case());
    let module = format_ident!("{}", op.service);
    let method = format_ident!("{}", op.method);
    let setters = op.params.iter().map(|p| {
        let setter = format_ident!("{}", p.name.to_snake_case());
        let id = &p.name;
        if is_project_id(p) {
            quote! { .#setter(ctx.project_id(#vendor)?.as_str()) }
        } else if p.integer {
            quote! { .#setter(ctx.integer(matches, #id)?) }
        } else {
            quote! { .#setter(ctx.string(matches, #id)?) }
        }
    });
    quote! {
        (#vendor, #service, #name) => {
            let client: #krate::#module::Client = ctx.client(#vendor)?;
            let answer = client.#method() #(#setters)* .send().outcome().await?;
            Ok(serde_json::to_value(answer.into_inner())?)
        }
    }
}

/// What a script sees of a spec through the command line: each operation's command and
/// its flags (with their value kind). A flag that disappears or changes breaks scripts.
pub fn surface(service: &Service, spec: &LoadedSpec) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for command in commands_of(service, spec) {
        let path = format!(
            "dbplane {} {} {}",
            command.vendor, command.service, command.name
        );
        out.insert(format!("CLI `{path}`"));
        for param in &command.params {
            let kind = if param.integer { "integer" } else { "text" };
            out.insert(format!("CLI `{path}` flag `--{}` ({kind})", param.flag));
        }
    }
    out
}
