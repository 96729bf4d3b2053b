fn main() {
    redis_playground::start();
}
