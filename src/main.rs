fn main() {
    networkshop::start();
}
