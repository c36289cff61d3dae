//! The facilitator's app: the map and the report, loaded only by those who open them.

fn main() {
    networkshop::start_facilitator();
}
