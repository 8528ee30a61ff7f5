/// Names and places the generator draws from: common Vietnamese family, middle and given
/// names, and communes of provinces after the 2025 reorganisation, with the provinces'
/// personal-ID codes (the first three digits of a CCCD number).
enum GeneratorVocabulary {
    static let familyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
                              "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Châu"]
    static let maleMiddleNames = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Gia", "Thanh", "Hoàng", "Công", "Tuấn"]
    static let femaleMiddleNames = ["Thị", "Ngọc", "Thu", "Thanh", "Bảo", "Kim", "Mỹ", "Diệu", "Phương", "Hồng"]
    static let maleGivenNames = ["An", "Bình", "Dũng", "Hải", "Hùng", "Khang", "Khánh", "Long", "Minh", "Nam", "Phúc", "Quân",
                                 "Sơn", "Tâm", "Tuấn", "Việt", "Huy", "Đạt", "Trung", "Nghĩa"]
    static let femaleGivenNames = ["Anh", "Châu", "Giang", "Hà", "Hạnh", "Lan", "Linh", "Mai", "Ngọc", "Phương", "Quỳnh", "Thảo",
                                   "Trang", "Vy", "Yến", "Nhung", "Hương", "Thủy", "Uyên", "Loan"]
    static let ethnicities = ["Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Ê Đê"]
    static let streets = ["Lý Thường Kiệt", "Trần Hưng Đạo", "Nguyễn Trãi", "Lê Lợi", "Hai Bà Trưng", "Quang Trung", "Phan Đình Phùng",
                          "Nguyễn Huệ", "Hùng Vương", "Võ Thị Sáu", "30 Tháng 4", "Cách Mạng Tháng 8"]
    static let relations = ["con", "vợ", "chồng", "con trai", "con gái", "cháu"]

    struct Province {
        let personalIDCode: String
        let name: String
        let officePrefix: String
        let communes: [String]
        let hospital: String
    }

    static let provinces = [
        Province(personalIDCode: "001", name: "Thành phố Hà Nội", officePrefix: "H26", communes: ["phường Cầu Giấy", "xã Đông Anh", "phường Hoàn Kiếm", "xã Sóc Sơn"], hospital: "Bệnh viện Phụ sản Hà Nội"),
        Province(personalIDCode: "079", name: "Thành phố Hồ Chí Minh", officePrefix: "H29", communes: ["phường Sài Gòn", "phường Bến Thành", "xã Củ Chi", "phường Thủ Đức"], hospital: "Bệnh viện Từ Dũ"),
        Province(personalIDCode: "092", name: "Thành phố Cần Thơ", officePrefix: "H14", communes: ["phường Ninh Kiều", "phường Cái Răng", "phường Bình Thủy", "xã Phong Điền"], hospital: "Bệnh viện Phụ sản Thành phố Cần Thơ"),
        Province(personalIDCode: "096", name: "tỉnh Cà Mau", officePrefix: "H12", communes: ["phường An Xuyên", "phường Hòa Thành", "xã Đầm Dơi", "xã Năm Căn"], hospital: "Bệnh viện Sản - Nhi Cà Mau"),
        Province(personalIDCode: "072", name: "tỉnh Tây Ninh", officePrefix: "H52", communes: ["phường Long An", "phường Khánh Hậu", "xã Tân Thạnh", "phường Tân Ninh"], hospital: "Bệnh viện Đa khoa tỉnh Tây Ninh"),
        Province(personalIDCode: "066", name: "tỉnh Đắk Lắk", officePrefix: "H16", communes: ["phường Buôn Ma Thuột", "phường Tuy Hòa", "xã Ea Kar", "phường Tân Lập"], hospital: "Bệnh viện Đa khoa vùng Tây Nguyên"),
    ]
}
