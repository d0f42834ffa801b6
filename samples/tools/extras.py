"""Non-HTML samples: plain-text clippings, a JSONL export, and the headlines of a tag listing page.

All text is original and fictional.
"""

# --------------------------------------------------------------------------- clippings
# Written out as a user would get them by selecting a whole page in a browser and copying it:
# furniture first, then headline, dateline, author, paragraphs, then more furniture.

CLIPPINGS = [
    dict(
        filename="suarapagi-tiket-kereta-mudik-lebaran-ludes.txt",
        site="Suara Pagi",
        lang="id",
        title="Tiket Kereta Mudik Lebaran untuk Keberangkatan H-3 Ludes Terjual",
        published="2024-03-05",
        author="Ratna Sari Dewi",
        text="""Baca berita tanpa iklan. Gabung Suara Pagi Plus+
Advertisement
Tiket Kereta Mudik Lebaran untuk Keberangkatan H-3 Ludes Terjual
Suara Pagi - 05/03/2024, 08:30 WIB
Ratna Sari Dewi
Penulis

JAKARTA, SUARAPAGI.COM - Tiket kereta api jarak jauh untuk keberangkatan tiga hari sebelum Lebaran 2024 habis terjual hanya beberapa jam setelah penjualan dibuka. Sebagian besar tiket kelas ekonomi menuju kota-kota di Jawa Tengah dan Jawa Timur sudah tidak tersedia sejak Selasa (5/3/2024) pagi.

Penjualan tiket dibuka melalui aplikasi dan laman resmi operator kereta api mulai pukul 00.00 WIB. Ribuan calon penumpang dilaporkan sudah menunggu di depan layar ponsel sejak tengah malam agar tidak kehabisan kursi.

"Permintaan untuk tanggal-tanggal favorit memang selalu sangat tinggi. Kami menyarankan masyarakat memantau tiket kereta tambahan yang akan dibuka secara bertahap," kata juru bicara operator kereta api di Jakarta.

Baca juga: Daftar Jalur Alternatif Mudik Lewat Pantura dan Tol Trans-Jawa

Menurut operator, tiket untuk relasi Jakarta-Yogyakarta, Jakarta-Solo, dan Jakarta-Surabaya menjadi yang paling cepat habis. Tiket kelas eksekutif dan bisnis pada sejumlah perjalanan malam masih tersisa dalam jumlah terbatas.

Seorang calon pemudik, Wahyu Setiadi (31), mengaku gagal mendapatkan tiket meski sudah mencoba sejak pukul 00.00 WIB. "Begitu masuk ke aplikasi, kursinya sudah habis. Mungkin saya coba berangkat lebih awal atau naik bus saja," ujarnya.

Operator kereta api menyatakan akan mengoperasikan kereta tambahan selama masa angkutan Lebaran untuk menambah kapasitas tempat duduk. Jadwal dan jumlah perjalanan tambahan akan diumumkan dalam beberapa hari ke depan.

Calon penumpang juga diingatkan untuk hanya membeli tiket melalui kanal resmi dan tidak tergiur tawaran calo di media sosial yang menjanjikan tiket dengan harga lebih tinggi.

Terkini Lainnya
Harga Cabai Rawit Mulai Turun Menjelang Ramadhan
Timnas U-23 Umumkan 26 Pemain untuk Piala Asia
BMKG: Hujan Lebat Masih Berpotensi Terjadi di Jabodetabek Sepekan ke Depan
Pemerintah Tetapkan Cuti Bersama Lebaran 2024
Komentar
Login untuk berkomentar
Bagikan artikel ini melalui
Oke
""",
        must_contain="tiket kelas ekonomi menuju kota-kota di Jawa Tengah",
        must_not_contain=["Harga Cabai Rawit Mulai Turun Menjelang Ramadhan", "Bagikan artikel ini melalui"],
    ),
    dict(
        filename="thedailyledger-basking-sharks-tagged-off-cornwall.txt",
        site=None,  # the copied text never names the outlet (no masthead, no "Site - date" dateline)
        lang="en",
        title="Scientists tag basking sharks off Cornish coast to track summer migration",
        published="2022-06-12",
        author="Eleanor Marsh",
        text="""Subscribe for unlimited access
Advertisement
Scientists tag basking sharks off Cornish coast to track summer migration
Published 12 June 2022, 14:05 BST
Eleanor Marsh

Marine biologists have fitted satellite tags to six basking sharks off the coast of Cornwall in an effort to understand where the giant fish travel after they leave British waters at the end of the summer.

The sharks, which can grow to more than 10 metres long and feed only on plankton, gather every year in the waters around the Lizard peninsula and Land's End, where warm currents bring dense blooms of their food to the surface.

Researchers working from a small research vessel attached the tags to the sharks' dorsal fins using a pole, a process they said caused the animals no lasting harm. The tags are designed to detach after about eight months and float to the surface, where they transmit their data.

Read more: Seal pup numbers rise on Norfolk coast for third year in a row

"We still know surprisingly little about where basking sharks go in winter," said Dr Helen Pascoe, the marine ecologist leading the project. "Some seem to head south towards north Africa, others dive very deep in the Atlantic. Every tag fills in another piece of the picture."

Basking sharks are protected in British waters, and it is illegal to harass or disturb them. Wildlife groups have raised concerns about boats and jet skis getting too close to the animals as sightings have become more common in recent summers.

The team is also asking the public to report sightings through an online form, including photographs of the sharks' fins, which can be used to identify individual animals that return to Cornwall year after year.

Most read
Heatwave warning issued as temperatures set to reach 30C
Hosepipe bans not ruled out after driest spring in decades
Train operators announce weekend engineering works
Comments
Sign in or create your Daily Ledger account to join the discussion.
Share this article
""",
        must_contain="fitted satellite tags to six basking sharks",
        must_not_contain=["Hosepipe bans not ruled out after driest spring in decades", "Sign in or create your Daily Ledger account"],
    ),
]

# --------------------------------------------------------------------------- JSONL export
# Records a user exported from another tool: fields already extracted, no HTML.

EXPORT_RECORDS = [
    dict(
        id="kh-20230520-festival-kuliner-solo",
        url="https://www.kabarharian.co.id/gaya-hidup/2023/05/20/festival-kuliner-solo-sajikan-150-menu-tradisional",
        title="Festival Kuliner Solo Sajikan 150 Menu Tradisional",
        date="2023-05-20T11:30:00+07:00",
        source="Kabar Harian",
        author="Nur Aisyah Lubis",
        lang="id",
        paragraphs=[
            "SOLO, KABARHARIAN.CO.ID - Festival kuliner tahunan di Kota Solo, Jawa Tengah, kembali digelar di kawasan Benteng Vastenburg, Sabtu (20/5/2023). Sebanyak 150 menu tradisional dari puluhan pedagang kaki lima dan rumah makan legendaris disajikan selama tiga hari penyelenggaraan.",
            "Pengunjung dapat mencicipi beragam hidangan khas Solo, mulai dari selat solo, timlo, tengkleng, nasi liwet, hingga serabi notosuman. Sebagian pedagang merupakan generasi ketiga yang meneruskan usaha kuliner keluarganya sejak puluhan tahun lalu.",
            "\"Kami ingin anak-anak muda mengenal lagi makanan yang dulu biasa dimasak nenek mereka. Banyak resep yang mulai jarang ditemukan di warung sehari-hari,\" kata ketua panitia festival, Bambang Suryanto, saat pembukaan.",
            "Panitia juga menyediakan panggung demo memasak dan lomba membuat sambal bagi pengunjung. Untuk mengurangi sampah plastik, setiap pedagang diwajibkan menggunakan wadah yang dapat dipakai ulang atau berbahan daun pisang.",
            "Festival ini diharapkan mendongkrak kunjungan wisatawan ke Solo menjelang musim libur sekolah. Pemerintah kota mencatat tingkat hunian hotel di pusat kota meningkat selama akhir pekan penyelenggaraan festival.",
        ],
    ),
    dict(
        id="wn-20220614-harga-tiket-pesawat-domestik",
        url="https://www.wartanusantara.id/ekonomi/2022/06/14/harga-tiket-pesawat-domestik-mulai-turun",
        title="Harga Tiket Pesawat Domestik Mulai Turun Jelang Libur Sekolah",
        date="2022-06-14T14:10:00+07:00",
        source="Warta Nusantara",
        author="Fajar Nugroho",
        lang="id",
        paragraphs=[
            "JAKARTA, WARTANUSANTARA.ID - Harga tiket pesawat untuk sejumlah rute domestik mulai turun menjelang libur sekolah pada akhir Juni 2022. Penurunan terjadi setelah beberapa maskapai menambah frekuensi penerbangan dan mengoperasikan kembali pesawat yang sempat diparkir selama pandemi.",
            "Pantauan di sejumlah agen perjalanan daring pada Selasa (14/6/2022) menunjukkan harga tiket kelas ekonomi rute Jakarta-Denpasar dan Jakarta-Medan turun dibandingkan bulan sebelumnya, terutama untuk penerbangan pada hari kerja.",
            "\"Pasokan kursi mulai bertambah, sementara permintaan setelah musim Lebaran sedikit melandai. Itu yang membuat harga lebih bersahabat,\" kata pengamat penerbangan, Teguh Santoso, di Jakarta.",
            "Meski demikian, harga tiket untuk penerbangan akhir pekan dan rute favorit wisata diperkirakan kembali naik saat puncak libur sekolah. Calon penumpang disarankan memesan tiket lebih awal dan membandingkan harga antarmaskapai.",
            "Kementerian Perhubungan menyatakan terus memantau tarif agar tidak melampaui batas atas yang telah ditetapkan pemerintah untuk setiap rute penerbangan berjadwal.",
        ],
    ),
    dict(
        id="mp-20240408-total-solar-eclipse-north-america",
        url="https://www.meridianpost.com/science/2024/04/08/total-solar-eclipse-draws-crowds-across-north-america",
        title="Total solar eclipse draws millions of skywatchers across North America",
        date="2024-04-08T19:45:00-04:00",
        source="Meridian Post",
        author="Hannah Li",
        lang="en",
        paragraphs=[
            "DALLAS - Millions of people across Mexico, the United States and Canada turned their eyes to the sky on Monday as a total solar eclipse swept across North America, briefly turning day into night along a narrow path from the Pacific coast of Mexico to the Atlantic coast of Canada.",
            "In Dallas, crowds gathered in parks and on rooftops despite patchy cloud, cheering as the moon slid fully in front of the sun and the temperature dropped noticeably. Streetlights flickered on and birds fell silent during the few minutes of totality.",
            "\"I have seen photos my whole life, but nothing prepares you for the real thing,\" said Rosa Delgado, a schoolteacher who drove four hours with her two children to reach the path of totality. \"The kids were screaming with joy.\"",
            "Towns along the route had prepared for months, with hotels fully booked and local officials warning of heavy traffic. Scientists used the event to study the sun's outer atmosphere, launching research rockets and flying instruments on high-altitude aircraft.",
            "The next total solar eclipse visible from the contiguous United States will not occur until 2044.",
        ],
    ),
    dict(
        id="apw-20221114-seoul-apartment-prices-fall",
        url="https://www.asiapacificwire.com/business/2022/11/14/seoul-apartment-prices-fall-as-rates-rise",
        title="Seoul apartment prices fall for fifth straight month as borrowing costs climb",
        date="2022-11-14T14:00:00+09:00",
        source="Asia Pacific Wire",
        author="Min-ji Park",
        lang="en",
        paragraphs=[
            "SEOUL (APW) - Apartment prices in the South Korean capital fell for a fifth consecutive month in October, as rising interest rates squeezed buyers who had borrowed heavily during a years-long property boom, according to industry data released on Monday.",
            "The decline was steepest in districts on the outskirts of Seoul, where many young first-time buyers had stretched their finances to purchase homes in 2020 and 2021. Transaction volumes also dropped sharply, with many sellers unwilling to cut prices further.",
            "\"Buyers are waiting on the sidelines because they expect prices to fall more as long as rates keep rising,\" said a property analyst at a Seoul brokerage. \"Nobody wants to catch a falling knife.\"",
            "The Bank of Korea has raised its benchmark rate several times this year to tame inflation. The government has responded by easing some lending restrictions and property taxes in an effort to prevent a sharp correction.",
            "Economists warn that a prolonged downturn could weigh on household spending, since property accounts for the bulk of wealth for most South Korean families.",
        ],
    ),
]

# --------------------------------------------------------------------------- tag page
# Headlines (date, headline, slug) for the Kabar Harian "Korea Utara" tag listing: a page with
# links only, no article body.

TAG_PAGE_ITEMS = [
    ("2024-06-20", "Putin dan Kim Jong Un Teken Perjanjian Kemitraan Strategis"),
    ("2024-06-19", "Putin Tiba di Pyongyang, Kunjungan Pertama dalam 24 Tahun"),
    ("2024-05-27", "Korea Utara Gagal Luncurkan Satelit Militer, Roket Meledak di Udara"),
    ("2024-03-18", "Korea Utara Tembakkan Rudal Balistik Jarak Pendek ke Laut Timur"),
    ("2024-01-14", "Seoul: Korea Utara Uji Rudal Berbahan Bakar Padat"),
    ("2023-12-18", "Korea Utara Luncurkan Rudal Balistik Antarbenua, Jatuh di Laut Jepang"),
    ("2023-11-22", "Korea Utara Klaim Berhasil Orbitkan Satelit Mata-mata"),
    ("2023-10-19", "Lavrov dan Choe Son Hui Bahas Kerja Sama Rusia-Korea Utara"),
    ("2023-10-18", "Menlu Rusia Tiba di Korea Utara"),
    ("2023-09-14", "Kim Jong Un Kunjungi Pabrik Pesawat di Timur Jauh Rusia"),
    ("2023-09-13", "Kim Jong Un dan Putin Bertemu di Kosmodrom Vostochny"),
    ("2023-09-12", "Kereta Lapis Baja Kim Jong Un Melintasi Perbatasan Menuju Rusia"),
    ("2023-08-24", "Peluncuran Satelit Mata-mata Korea Utara Gagal untuk Kedua Kalinya"),
    ("2023-07-27", "Delegasi Rusia Hadiri Parade Militer di Pyongyang"),
    ("2023-07-12", "Korea Utara Uji Rudal Hwasong-18, Terbang 74 Menit"),
    ("2023-04-13", "Korea Utara Putus Saluran Komunikasi dengan Korea Selatan"),
    ("2023-02-08", "Parade Militer Malam Hari Pamerkan Rudal Antarbenua Baru"),
    ("2022-11-03", "Sirene Serangan Udara Berbunyi di Pulau Ulleung Korea Selatan"),
    ("2022-10-04", "Rudal Korea Utara Terbang Melintasi Jepang"),
    ("2022-05-12", "Korea Utara Laporkan Kasus Covid-19 Pertama"),
]
