//! A tour of boto-rs against a local AWS stand-in (`scripts/demo.sh`).

use boto::boto_core::model::Loader;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let loader = Loader::from_env();
    let services = loader.list_services()?;
    println!("boto-rs knows {} AWS services. A few of them:", services.len());
    for name in ["dynamodb", "s3", "ec2", "sqs", "lambda"] {
        let model = loader.service_model(name, None)?;
        println!(
            "  {:<10} {:<40} {:>4} operations, protocol {}",
            name,
            model.metadata().service_full_name,
            model.operation_names().len(),
            model.metadata().resolved_protocol()
        );
    }
    Ok(())
}
