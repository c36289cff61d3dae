fn main() {
    networkshop::start_participant();
}
