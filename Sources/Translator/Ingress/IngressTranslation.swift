extension Translation {
    mutating func translateIngresses() {}
}
