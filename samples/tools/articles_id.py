"""Indonesian-language articles of the sample archive (all text original and fictional).

Each entry is rendered by generate_archive.py with the template of its site. In ``body``,
paragraphs are separated by blank lines; a line starting with ">> " is an inline cross-link
("Baca juga: ...") that the site template inserts between paragraphs.
"""

ARTICLES = [
    # ------------------------------------------------------------------ Warta Nusantara
    dict(
        site="wartanusantara",
        date="2023-10-18",
        time="19:17",
        section="global",
        slug="lavrov-tiba-di-pyongyang",
        title="Menlu Rusia Sergei Lavrov Tiba di Pyongyang untuk Kunjungan Dua Hari",
        author="Rahmat Hidayat Siregar",
        editor="Dewi Anggraini",
        tags=["Sergei Lavrov", "Korea Utara", "Rusia", "Pyongyang"],
        body="""
PYONGYANG, WARTANUSANTARA.ID - Menteri Luar Negeri Rusia Sergei Lavrov tiba di Pyongyang, ibu kota Korea Utara, pada Rabu (18/10/2023) untuk kunjungan resmi selama dua hari. Pesawat yang membawa Lavrov mendarat di Bandara Internasional Sunan menjelang sore waktu setempat, menurut keterangan Kementerian Luar Negeri Rusia.

Setibanya di bandara, Lavrov disambut langsung oleh Menteri Luar Negeri Korea Utara Choe Son Hui bersama sejumlah pejabat senior. Barisan pelajar yang membawa bendera kedua negara dan karangan bunga ikut menyambut rombongan diplomat Rusia itu di landasan.

Kunjungan ini merupakan lawatan pertama Lavrov ke Korea Utara sejak 2018. Kedatangannya berlangsung sekitar sebulan setelah pemimpin Korea Utara Kim Jong Un bertemu Presiden Rusia Vladimir Putin di Kosmodrom Vostochny, di kawasan Timur Jauh Rusia.

>> Kim Jong Un Undang Putin Berkunjung ke Korea Utara

Kementerian Luar Negeri Rusia menyebut pembicaraan di Pyongyang akan membahas isu-isu aktual dalam hubungan bilateral serta situasi di kawasan. Moskwa tidak merinci agenda lebih lanjut, tetapi sejumlah pengamat menilai lawatan ini bertujuan mematangkan persiapan kemungkinan kunjungan Putin ke Pyongyang. Saat bertemu di Vostochny, Kim mengundang Putin untuk berkunjung ke Korea Utara, dan Kremlin menyatakan undangan itu diterima.

Kedatangan Lavrov juga menambah kekhawatiran negara-negara Barat. Amerika Serikat dan Korea Selatan menuding Pyongyang telah mengirimkan amunisi artileri dan perlengkapan militer lain kepada Rusia untuk digunakan dalam perang di Ukraina. Tuduhan itu dibantah oleh Moskwa maupun Pyongyang.

>> AS Tuding Korea Utara Kirim Ribuan Kontainer Amunisi ke Rusia

"Bagi Moskwa, Korea Utara kini adalah pemasok yang penting. Bagi Pyongyang, Rusia menawarkan teknologi, pangan, dan perlindungan di Dewan Keamanan PBB," kata Ahmad Fauzan, pengajar hubungan internasional di sebuah universitas swasta di Jakarta, kepada Warta Nusantara.

Selama berada di Pyongyang, Lavrov dijadwalkan melakukan pembicaraan dengan Choe Son Hui dan sejumlah pejabat tinggi lain. Media pemerintah Korea Utara melaporkan kedua menteri akan membahas kerja sama di bidang politik, ekonomi, dan kebudayaan, tanpa menyebut isu militer.

Hubungan Rusia dan Korea Utara semakin erat sejak Moskwa melancarkan invasi ke Ukraina pada Februari 2022. Kedua negara sama-sama berada di bawah sanksi internasional, dan Rusia bersama China beberapa kali menghalangi upaya Dewan Keamanan PBB untuk menjatuhkan sanksi baru terhadap Pyongyang.

Kementerian Luar Negeri Rusia menyebut Lavrov akan kembali ke Moskwa pada Kamis (19/10/2023) setelah menyelesaikan rangkaian pertemuannya.
""",
    ),
    dict(
        site="wartanusantara",
        date="2024-01-14",
        time="16:20",
        section="global",
        slug="korea-utara-luncurkan-rudal-balistik-ke-laut-timur",
        title="Korea Utara Luncurkan Rudal Balistik ke Laut Timur",
        author="Dewi Anggraini",
        editor="Rahmat Hidayat Siregar",
        tags=["Korea Utara", "Rudal Balistik", "Korea Selatan"],
        body="""
SEOUL, WARTANUSANTARA.ID - Korea Utara menembakkan sebuah rudal balistik ke arah laut lepas pantai timurnya pada Minggu (14/1/2024), menurut Kepala Staf Gabungan Korea Selatan (JCS). Ini merupakan uji coba rudal balistik pertama yang dilakukan Pyongyang pada tahun 2024.

JCS menyatakan rudal itu diluncurkan dari wilayah sekitar Pyongyang pada sore hari dan terbang kurang lebih 1.000 kilometer sebelum jatuh di perairan antara Semenanjung Korea dan Jepang. Militer Korea Selatan masih menganalisis jenis rudal tersebut bersama pihak Amerika Serikat.

Kementerian Pertahanan Jepang juga melaporkan peluncuran itu. Menurut Tokyo, rudal diperkirakan jatuh di luar zona ekonomi eksklusif Jepang dan tidak ada laporan kerusakan terhadap kapal maupun pesawat di sekitar lokasi.

"Peluncuran ini merupakan provokasi nyata yang mengancam perdamaian dan stabilitas di Semenanjung Korea," demikian pernyataan JCS. Militer Korea Selatan menyatakan telah meningkatkan kewaspadaan dan berbagi informasi secara erat dengan Washington dan Tokyo.

>> Menlu Rusia Sergei Lavrov Tiba di Pyongyang untuk Kunjungan Dua Hari

Uji coba tersebut berlangsung beberapa hari setelah Korea Utara menembakkan ratusan peluru artileri di dekat perbatasan laut dengan Korea Selatan. Pada akhir Desember, Kim Jong Un juga menyatakan Pyongyang tidak lagi menganggap Seoul sebagai mitra untuk reunifikasi.

Sejumlah analis menilai Korea Utara tengah mengembangkan rudal berbahan bakar padat yang lebih sulit dideteksi karena dapat diluncurkan dengan persiapan singkat. Pyongyang sebelumnya mengklaim telah menguji mesin berbahan bakar padat untuk rudal jarak menengah pada November lalu.

Peluncuran ini juga terjadi di tengah sorotan terhadap kerja sama militer Korea Utara dan Rusia. Washington menuduh Pyongyang memasok rudal balistik kepada Moskwa untuk digunakan di Ukraina, tuduhan yang dibantah kedua negara.

Dewan Keamanan PBB telah melarang Korea Utara melakukan uji coba rudal balistik melalui serangkaian resolusi. Namun, upaya menjatuhkan sanksi tambahan terus terhambat oleh veto Rusia dan China.
""",
    ),
    dict(
        site="wartanusantara",
        date="2020-01-02",
        time="10:45",
        section="megapolitan",
        slug="banjir-rendam-ribuan-rumah-di-jakarta",
        title="Banjir Rendam Ribuan Rumah di Jakarta Usai Hujan Sepanjang Malam",
        author="Fajar Nugroho",
        editor="Maya Kartika Sari",
        tags=["Banjir Jakarta", "BPBD DKI", "BMKG"],
        body="""
JAKARTA, WARTANUSANTARA.ID - Banjir merendam ribuan rumah di sejumlah wilayah Jakarta dan sekitarnya setelah hujan deras mengguyur sejak malam pergantian tahun hingga Rabu (1/1/2020) pagi. Ketinggian air di beberapa permukiman dilaporkan mencapai lebih dari satu meter.

Badan Penanggulangan Bencana Daerah (BPBD) DKI Jakarta mencatat ratusan rukun warga terdampak, terutama di wilayah yang berada di sepanjang aliran Sungai Ciliwung dan Sungai Pesanggrahan. Ribuan warga terpaksa mengungsi ke masjid, sekolah, dan kantor kelurahan.

"Kami fokus mengevakuasi warga lanjut usia, anak-anak, dan orang sakit terlebih dahulu. Perahu karet sudah kami kerahkan ke titik-titik yang paling parah," kata seorang petugas BPBD di posko Kampung Melayu, Jakarta Timur, Kamis (2/1/2020).

>> Ini Daftar Posko Pengungsian Banjir di Jakarta Timur

Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) menyebut curah hujan yang turun di kawasan Halim Perdanakusuma pada malam tahun baru termasuk yang tertinggi sejak pencatatan dimulai pada masa kolonial.

Banjir juga melumpuhkan sebagian transportasi. Sejumlah ruas jalan tol ditutup sementara, perjalanan kereta rel listrik di beberapa lintasan dihentikan, dan aliran listrik di kawasan terdampak dipadamkan untuk mencegah korsleting.

Di Kelurahan Cipinang Melayu, warga mengaku air naik dengan cepat sejak dini hari. "Jam tiga pagi air baru semata kaki, jam enam sudah sampai dada. Barang-barang tidak sempat diselamatkan," ujar Suryani (45), warga setempat yang mengungsi bersama tiga anaknya.

Hingga Kamis siang, sebagian permukiman di Jakarta Timur dan Jakarta Barat masih tergenang. Petugas pemadam kebakaran dikerahkan untuk membantu menyedot air dan membersihkan lumpur di fasilitas umum, termasuk puskesmas dan sekolah yang terendam.

Pemerintah Provinsi DKI Jakarta menyatakan telah menyiapkan dapur umum dan layanan kesehatan di lokasi pengungsian. Warga diimbau tetap waspada karena BMKG memprakirakan hujan dengan intensitas sedang hingga lebat masih berpotensi terjadi dalam beberapa hari ke depan.
""",
    ),
    dict(
        site="wartanusantara",
        date="2024-01-21",
        time="22:15",
        section="nasional",
        slug="debat-keempat-pilpres-2024-soroti-energi-pangan-lingkungan",
        title="Debat Keempat Pilpres 2024 Soroti Isu Energi, Pangan, dan Lingkungan",
        author="Maya Kartika Sari",
        editor="Fajar Nugroho",
        tags=["Pilpres 2024", "Debat Cawapres", "KPU"],
        body="""
JAKARTA, WARTANUSANTARA.ID - Tiga calon wakil presiden beradu gagasan dalam debat keempat Pemilihan Presiden 2024 yang digelar Komisi Pemilihan Umum (KPU) di Jakarta Convention Center, Minggu (21/1/2024) malam. Debat kali ini mengangkat tema pembangunan berkelanjutan, sumber daya alam, lingkungan hidup, energi, pangan, agraria, serta masyarakat adat dan desa.

Debat berlangsung sekitar dua jam dan dibagi ke dalam enam segmen. Para kandidat menjawab pertanyaan dari panelis yang diundi di atas panggung, kemudian saling bertanya dan menanggapi jawaban lawan.

Dalam sambutannya, pimpinan KPU meminta para pendukung yang hadir di ruangan menjaga ketertiban. "Debat ini adalah ruang bagi pemilih untuk menilai gagasan, bukan ajang saling menjatuhkan," ujarnya.

Isu transisi energi menjadi salah satu bahasan yang paling hangat. Para kandidat menyampaikan pandangan berbeda soal hilirisasi nikel, pengembangan kendaraan listrik, dan rencana pensiun dini pembangkit listrik tenaga uap berbahan bakar batu bara.

>> Jadwal Lengkap Debat Pilpres 2024 dan Tema Setiap Sesi

Masalah pangan dan nasib petani juga mengemuka. Panelis menanyakan strategi kandidat untuk menjaga harga gabah tetap layak bagi petani sekaligus terjangkau bagi konsumen, serta cara menghadapi dampak cuaca ekstrem terhadap produksi.

Pengamat politik dari sebuah lembaga survei di Jakarta, Rini Astuti, menilai debat cawapres kerap lebih dinamis dibanding debat capres. "Pemilih muda banyak yang menonton lewat media sosial. Potongan-potongan momen debat akan beredar luas dan bisa memengaruhi persepsi," katanya.

Di luar arena debat, ratusan pendukung ketiga pasangan calon berkumpul di sekitar kompleks Senayan sejak sore. Aparat gabungan dari kepolisian dan TNI disiagakan untuk mengatur arus lalu lintas dan mencegah gesekan antarkelompok pendukung.

Pemungutan suara Pemilu 2024 dijadwalkan berlangsung pada 14 Februari 2024. Debat kelima sekaligus terakhir, yang akan diikuti para calon presiden, digelar pada awal Februari.
""",
    ),
    dict(
        site="wartanusantara",
        date="2019-10-02",
        time="15:30",
        section="budaya",
        slug="ratusan-kain-batik-langka-dipamerkan-hari-batik-nasional",
        title="Ratusan Kain Batik Langka Dipamerkan dalam Peringatan Hari Batik Nasional",
        author=None,
        editor=None,
        tags=["Hari Batik Nasional", "Batik", "Yogyakarta"],
        body="""
YOGYAKARTA, WARTANUSANTARA.ID - Sebanyak 250 lembar kain batik dari berbagai daerah dipamerkan di Yogyakarta dalam rangka memperingati Hari Batik Nasional, Rabu (2/10/2019). Pameran yang berlangsung hingga dua pekan ke depan itu menampilkan batik tulis berusia lebih dari satu abad hingga karya perajin muda.

Koleksi yang dipajang berasal dari museum, kolektor pribadi, dan sejumlah sentra batik, antara lain Pekalongan, Lasem, Solo, Cirebon, dan Madura. Setiap kain dilengkapi keterangan mengenai motif, teknik pewarnaan, serta makna filosofis di baliknya.

"Kami ingin pengunjung tidak sekadar melihat kain yang indah, tetapi juga memahami bahwa setiap motif menyimpan cerita tentang tempat dan zamannya," kata kurator pameran, Sri Widayati, saat pembukaan.

>> Mengenal Motif Parang dan Sejarah Larangannya di Keraton

Salah satu koleksi yang menarik perhatian adalah batik Lasem bermotif burung hong dengan warna merah tua yang khas. Kain tersebut diperkirakan dibuat pada awal abad ke-20 oleh perajin keturunan Tionghoa di pesisir utara Jawa.

Selain pameran, panitia menggelar lokakarya membatik bagi pelajar dan wisatawan. Peserta diajak mencoba menorehkan malam panas menggunakan canting di atas kain mori, kemudian mengikuti proses pewarnaan sederhana dengan bahan alami.

Pengunjung yang datang pada hari pertama didominasi pelajar dan mahasiswa. Banyak di antara mereka memotret detail motif menggunakan ponsel, sementara pemandu pameran menjelaskan perbedaan batik tulis, batik cap, dan kain bermotif batik hasil cetak.

Hari Batik Nasional diperingati setiap 2 Oktober, bertepatan dengan penetapan batik Indonesia sebagai Warisan Budaya Takbenda oleh UNESCO pada 2009. Sejak itu, instansi pemerintah dan sekolah mendorong pegawai serta pelajar mengenakan batik pada hari tersebut.

Seorang perajin asal Pekalongan, Darmanto (58), berharap perhatian terhadap batik tidak berhenti pada peringatan tahunan. "Yang kami butuhkan adalah pembeli yang menghargai batik tulis. Prosesnya bisa berbulan-bulan, tidak bisa dibandingkan dengan kain bermotif batik hasil cetak," ujarnya.
""",
    ),
    dict(
        site="wartanusantara",
        date="2021-11-27",
        time="11:20",
        section="lingkungan",
        slug="warga-dan-relawan-tanam-10000-bibit-mangrove-di-demak",
        title="Warga dan Relawan Tanam 10.000 Bibit Mangrove di Pesisir Demak",
        author="Intan Permatasari",
        editor="Dewi Anggraini",
        tags=["Mangrove", "Abrasi", "Demak"],
        body="""
DEMAK, WARTANUSANTARA.ID - Ratusan warga, pelajar, dan relawan lingkungan menanam 10.000 bibit mangrove di pesisir Kecamatan Sayung, Kabupaten Demak, Jawa Tengah, Sabtu (27/11/2021). Penanaman dilakukan di kawasan yang selama satu dekade terakhir terus tergerus abrasi dan banjir rob.

Kawasan pesisir Sayung dikenal sebagai salah satu wilayah yang paling parah terdampak kenaikan muka air laut dan penurunan tanah di pantai utara Jawa. Sejumlah dusun di daerah itu telah tenggelam, memaksa ratusan keluarga pindah ke lokasi yang lebih tinggi.

"Dulu dari rumah saya ke garis pantai masih ada sawah dan tambak sekitar dua kilometer. Sekarang air laut sudah masuk halaman," kata Muhammad Sholeh (52), nelayan yang ikut menanam bibit bersama anaknya.

>> Penurunan Tanah di Pantura Jawa Capai 10 Sentimeter per Tahun

Koordinator kegiatan dari komunitas pemerhati pesisir setempat, Lestari Handayani, mengatakan bibit yang ditanam adalah jenis Rhizophora yang dinilai tahan terhadap hempasan gelombang. Bibit ditanam di dalam struktur pemecah ombak dari bambu agar tidak hanyut sebelum akarnya kuat.

Menurut Lestari, tingkat keberhasilan penanaman mangrove sangat bergantung pada perawatan setelah penanaman. "Menanam itu bagian yang paling mudah. Tantangannya adalah memastikan bibit bertahan sampai tiga tahun pertama," ujarnya.

Para pelajar yang ikut serta mendapat penjelasan singkat tentang fungsi mangrove sebagai penahan gelombang, tempat pemijahan ikan dan kepiting, serta penyerap karbon. Sebagian dari mereka baru pertama kali turun langsung ke lumpur pesisir.

Sejumlah petambak setempat berharap hutan mangrove yang pulih dapat mengembalikan hasil tangkapan kepiting dan udang liar yang menurun drastis sejak tambak-tambak mereka tergenang air laut.

Pemerintah Kabupaten Demak menyatakan mendukung rehabilitasi mangrove sebagai bagian dari upaya adaptasi perubahan iklim. Namun, para peneliti mengingatkan bahwa mangrove saja tidak cukup untuk menahan laju penurunan tanah yang dipicu pengambilan air tanah secara berlebihan.

Kegiatan serupa direncanakan berlanjut setiap bulan hingga musim hujan berakhir. Panitia menargetkan 50.000 bibit mangrove tertanam di pesisir Sayung hingga pertengahan 2022.
""",
    ),
    # ------------------------------------------------------------------ Kabar Harian
    dict(
        site="kabarharian",
        date="2023-09-12",
        time="13:40",
        section="internasional",
        slug="kereta-lapis-baja-kim-jong-un-melintasi-perbatasan-menuju-rusia",
        title="Kereta Lapis Baja Kim Jong Un Melintasi Perbatasan Menuju Rusia",
        author="Bagus Prasetyo",
        tags=["Kim Jong Un", "Rusia", "Korea Utara", "Vladimir Putin"],
        body="""
SEOUL, KABARHARIAN.CO.ID - Kereta khusus yang membawa pemimpin Korea Utara Kim Jong Un melintasi perbatasan dan memasuki wilayah Rusia pada Selasa (12/9/2023) dini hari, menurut laporan media setempat. Kim dijadwalkan bertemu Presiden Rusia Vladimir Putin dalam lawatan yang diawasi ketat oleh negara-negara Barat.

Media pemerintah Korea Utara melaporkan Kim meninggalkan Pyongyang pada Minggu sore dengan kereta pribadinya. Rombongan yang menyertainya antara lain Menteri Luar Negeri Choe Son Hui serta sejumlah pejabat militer senior, termasuk tokoh yang membidangi industri persenjataan.

Kereta berwarna hijau tua dengan garis kuning itu dikenal berlapis baja dan bergerak lambat, dengan kecepatan rata-rata sekitar 50 kilometer per jam. Kim, seperti mendiang ayahnya Kim Jong Il, dikenal lebih memilih perjalanan darat dengan kereta dibandingkan pesawat.

>> Korea Utara Umumkan Peluncuran Satelit Mata-mata Gagal untuk Kedua Kalinya

Kremlin membenarkan kunjungan tersebut, tetapi tidak mengungkapkan lokasi pertemuan. "Ini akan menjadi kunjungan penuh. Akan ada pembicaraan antardelegasi, lalu jika diperlukan kedua pemimpin akan melanjutkan pembicaraan empat mata," kata juru bicara Kremlin kepada wartawan di Moskwa.

Pejabat Amerika Serikat sebelumnya memperingatkan bahwa Rusia berupaya membeli amunisi artileri dan roket dari Korea Utara untuk mendukung perang di Ukraina. Sebagai imbalannya, Pyongyang diduga menginginkan teknologi satelit dan kapal selam bertenaga nuklir.

"Setiap transfer senjata dari Korea Utara ke Rusia akan melanggar sejumlah resolusi Dewan Keamanan PBB," kata seorang pejabat Departemen Luar Negeri AS di Washington. Ia menambahkan, Washington tidak akan ragu menjatuhkan sanksi baru.

Pengamat hubungan internasional dari sebuah universitas di Bandung, Yudhistira Pramana, menilai pertemuan ini menguntungkan kedua pihak. "Rusia butuh pasokan amunisi dalam jumlah besar, sementara Korea Utara butuh teknologi dan mitra yang bisa melindunginya dari tekanan internasional," ujarnya.

Ini merupakan perjalanan luar negeri pertama Kim sejak pandemi Covid-19. Kim terakhir kali bertemu Putin di Vladivostok pada April 2019.
""",
    ),
    dict(
        site="kabarharian",
        date="2022-10-21",
        time="16:25",
        section="ekonomi",
        slug="rupiah-melemah-ke-level-rp-15600-per-dolar-as",
        title="Rupiah Melemah ke Level Rp 15.600 per Dolar AS, Terendah dalam Dua Tahun",
        author="Hendra Wijaya",
        tags=["Rupiah", "Bank Indonesia", "Dolar AS"],
        body="""
JAKARTA, KABARHARIAN.CO.ID - Nilai tukar rupiah terhadap dolar Amerika Serikat kembali melemah pada penutupan perdagangan Jumat (21/10/2022). Rupiah di pasar spot ditutup di kisaran Rp 15.600 per dolar AS, level terlemah sejak awal pandemi pada 2020.

Pelemahan rupiah sejalan dengan mata uang negara berkembang lain di Asia yang tertekan oleh penguatan dolar AS. Pasar memperkirakan bank sentral AS, Federal Reserve, masih akan menaikkan suku bunga secara agresif untuk meredam inflasi yang tinggi.

"Sentimen global masih sangat dominan. Imbal hasil obligasi pemerintah AS terus naik sehingga investor memindahkan dana ke aset dolar," kata ekonom sebuah bank swasta nasional, Arief Rachman, di Jakarta.

>> BI Naikkan Suku Bunga Acuan 50 Basis Poin Jadi 4,75 Persen

Sehari sebelumnya, Bank Indonesia menaikkan suku bunga acuan sebesar 50 basis poin menjadi 4,75 persen. Bank sentral menyatakan kebijakan itu ditempuh untuk menstabilkan nilai tukar rupiah dan menekan ekspektasi inflasi.

Bank Indonesia juga menyatakan terus berada di pasar untuk menjaga stabilitas rupiah melalui intervensi di pasar valuta asing dan pembelian surat berharga negara di pasar sekunder.

Meski melemah, sejumlah analis menilai depresiasi rupiah masih relatif terbatas dibandingkan mata uang negara lain di kawasan. Surplus neraca perdagangan yang berlanjut berkat tingginya harga komoditas ekspor dinilai menjadi bantalan bagi rupiah.

Pelaku usaha yang bergantung pada bahan baku impor mulai merasakan dampaknya. "Kami harus menghitung ulang harga jual karena biaya bahan baku naik. Tapi kami juga khawatir daya beli konsumen belum pulih," kata Lina, pemilik usaha kerajinan kulit di Tangerang.

Di pasar saham, Indeks Harga Saham Gabungan (IHSG) ditutup melemah tipis. Investor asing tercatat melakukan penjualan bersih di tengah kekhawatiran terhadap perlambatan ekonomi global.

Analis memperkirakan rupiah masih akan bergerak fluktuatif pada pekan depan, seiring rilis sejumlah data ekonomi AS dan pertemuan kebijakan Federal Reserve pada awal November.
""",
    ),
    dict(
        site="kabarharian",
        date="2022-12-04",
        time="15:10",
        section="regional",
        slug="gunung-semeru-erupsi-status-dinaikkan-menjadi-awas",
        title="Gunung Semeru Erupsi, Status Dinaikkan Menjadi Awas",
        author="Siti Rohmah",
        tags=["Gunung Semeru", "Erupsi", "PVMBG", "Lumajang"],
        body="""
LUMAJANG, KABARHARIAN.CO.ID - Gunung Semeru di perbatasan Kabupaten Lumajang dan Kabupaten Malang, Jawa Timur, kembali erupsi pada Minggu (4/12/2022) dini hari. Pusat Vulkanologi dan Mitigasi Bencana Geologi (PVMBG) menaikkan status gunung tertinggi di Pulau Jawa itu dari Siaga menjadi Awas, level tertinggi dalam sistem peringatan gunung api.

Erupsi disertai luncuran awan panas guguran yang mengarah ke aliran Besuk Kobokan di sisi tenggara gunung. Jarak luncur awan panas dilaporkan mencapai lebih dari 10 kilometer dari puncak.

"Masyarakat diminta tidak melakukan aktivitas apa pun di sepanjang Besuk Kobokan sejauh 17 kilometer dari puncak, karena berpotensi terlanda perluasan awan panas dan aliran lahar," demikian rekomendasi PVMBG dalam keterangan resminya.

>> Cara Melindungi Diri dari Hujan Abu Vulkanik

Badan Nasional Penanggulangan Bencana (BNPB) melaporkan hampir 2.000 warga dari sejumlah desa di Kecamatan Pronojiwo dan Candipuro telah mengungsi ke balai desa, sekolah, dan masjid. Hingga siang hari belum ada laporan korban jiwa.

Seorang warga Desa Supiturang, Ngatimah (47), mengatakan warga langsung berlari ke tempat aman begitu mendengar gemuruh dan melihat kepulan abu. "Kami masih trauma dengan kejadian tahun lalu, jadi begitu ada tanda-tanda, semua langsung turun," ujarnya.

Erupsi besar Semeru pada Desember 2021 menewaskan puluhan orang dan menghancurkan ribuan rumah di sekitar Besuk Kobokan. Sejak itu, pemerintah merelokasi sebagian warga ke hunian tetap di kawasan yang lebih aman.

Hujan abu dilaporkan turun di sejumlah desa di lereng selatan gunung. Jarak pandang di beberapa ruas jalan sempat terbatas, sehingga pengendara diminta menyalakan lampu kendaraan dan mengurangi kecepatan.

Aparat gabungan dari TNI, Polri, dan relawan disiagakan di jembatan-jembatan yang melintasi aliran sungai berhulu di Semeru. Petugas melarang warga dan penambang pasir mendekati alur sungai karena potensi banjir lahar apabila hujan deras turun di kawasan puncak.

Pemerintah Kabupaten Lumajang menyiapkan dapur umum dan membagikan masker kepada warga di sekitar lereng gunung. Jalur pendakian menuju puncak Semeru juga ditutup hingga waktu yang belum ditentukan.
""",
    ),
    dict(
        site="kabarharian",
        date="2021-07-10",
        time="12:35",
        section="kesehatan",
        slug="vaksinasi-massal-di-stadion-surabaya-diserbu-ribuan-warga",
        title="Vaksinasi Massal di Stadion Surabaya Diserbu Ribuan Warga",
        author="Nur Aisyah Lubis",
        tags=["Vaksinasi Covid-19", "Surabaya", "PPKM Darurat"],
        body="""
SURABAYA, KABARHARIAN.CO.ID - Ribuan warga memadati lokasi vaksinasi Covid-19 massal di sebuah stadion di Surabaya, Jawa Timur, Sabtu (10/7/2021). Antrean mengular sejak subuh, padahal layanan vaksinasi baru dibuka pukul 08.00 WIB.

Pemerintah Kota Surabaya menargetkan 10.000 dosis vaksin dapat disuntikkan dalam satu hari di lokasi tersebut. Vaksinasi terbuka bagi warga berusia 18 tahun ke atas yang membawa kartu tanda penduduk, termasuk warga luar kota yang bekerja atau bersekolah di Surabaya.

"Saya datang jam lima pagi karena takut kehabisan kuota. Di puskesmas dekat rumah jadwalnya sudah penuh sampai bulan depan," kata Rudi Hartono (34), karyawan swasta yang datang bersama istrinya.

>> Kasus Covid-19 Melonjak, Rumah Sakit di Jawa Timur Tambah Tempat Tidur Isolasi

Petugas sempat kewalahan mengatur kerumunan di pintu masuk. Panitia kemudian membagikan nomor antrean dan meminta warga menunggu di tribun stadion dengan menjaga jarak.

Kepala Dinas Kesehatan setempat mengatakan percepatan vaksinasi menjadi kunci untuk menekan lonjakan kasus yang terjadi dalam beberapa pekan terakhir. "Kami menambah jumlah vaksinator dan meja skrining supaya antrean bisa lebih cepat terurai," ujarnya.

Di antara peserta vaksinasi terdapat pula pedagang pasar, pengemudi ojek daring, dan pekerja pabrik yang sengaja mengambil cuti setengah hari. Sebagian dari mereka mengaku baru berani divaksin setelah melihat tetangga dan rekan kerja tidak mengalami efek samping serius.

Setelah disuntik, peserta diminta menunggu selama 30 menit di area observasi untuk memantau kemungkinan kejadian ikutan pascaimunisasi. Tim medis dan ambulans disiagakan di sekitar stadion untuk menangani peserta yang mengalami keluhan.

Jawa Timur, seperti sebagian besar wilayah Jawa dan Bali, saat ini menerapkan Pemberlakuan Pembatasan Kegiatan Masyarakat (PPKM) Darurat yang berlaku sejak 3 Juli 2021. Tingkat keterisian tempat tidur rumah sakit rujukan Covid-19 di sejumlah kota dilaporkan mendekati batas maksimal.

Dinas Kesehatan mengimbau warga yang sudah divaksin tetap disiplin memakai masker, mencuci tangan, dan menghindari kerumunan. Vaksinasi massal di stadion tersebut direncanakan berlangsung setiap akhir pekan hingga akhir Juli.
""",
    ),
    dict(
        site="kabarharian",
        date="2020-08-18",
        time="10:05",
        section="tekno",
        slug="startup-bandung-luncurkan-aplikasi-kasir-gratis-untuk-warung",
        title="Startup Bandung Luncurkan Aplikasi Kasir Gratis untuk Warung",
        author="Yohanes Bara",
        tags=["Startup", "UMKM", "QRIS", "Aplikasi"],
        body="""
BANDUNG, KABARHARIAN.CO.ID - Perusahaan rintisan asal Bandung, Kasirku, meluncurkan aplikasi kasir digital gratis bagi pemilik warung dan usaha mikro, Selasa (18/8/2020). Aplikasi berbasis Android itu dirancang agar dapat berjalan di ponsel berspesifikasi rendah dan tetap berfungsi tanpa koneksi internet.

Melalui aplikasi tersebut, pemilik warung dapat mencatat penjualan harian, memantau stok barang, hingga menerima pembayaran nontunai menggunakan kode QR standar nasional atau QRIS. Data transaksi akan tersinkronisasi otomatis ketika ponsel kembali terhubung ke internet.

"Banyak pemilik warung masih mencatat utang pelanggan dan stok di buku tulis. Kami ingin memberikan alat yang sederhana, tanpa biaya berlangganan," kata salah satu pendiri Kasirku, Adi Kurniawan, dalam peluncuran yang digelar secara daring.

>> Transaksi QRIS Melonjak Selama Pandemi, Ini Penyebabnya

Aplikasi itu juga dilengkapi fitur pencatatan utang pelanggan yang dapat mengirimkan pengingat pembayaran melalui pesan singkat. Menurut Adi, fitur tersebut paling banyak digunakan pemilik warung di permukiman padat.

Adi mengatakan, perusahaan akan memperoleh pendapatan dari layanan tambahan seperti pemesanan barang ke distributor dan laporan keuangan yang lebih lengkap. Fitur dasar aplikasi dijanjikan tetap gratis.

Selama masa uji coba sejak Maret, aplikasi itu telah digunakan sekitar 4.000 warung di Bandung Raya dan Cimahi. Menurut Adi, sebagian besar pengguna baru beralih ke pencatatan digital setelah pembatasan sosial akibat pandemi Covid-19 memukul penjualan mereka.

Enok Sumarni (49), pemilik warung kelontong di Cimahi, mengaku kini lebih mudah mengetahui barang yang paling laku. "Dulu saya sering kehabisan minyak goreng tanpa sadar. Sekarang ada pengingat kalau stok tinggal sedikit," ujarnya.

Pengamat ekonomi digital menilai pasar aplikasi kasir untuk usaha mikro masih sangat terbuka, meski persaingan kian ketat. Tantangan terbesarnya adalah literasi digital dan kepercayaan pemilik usaha terhadap keamanan data.

Kasirku menargetkan aplikasinya digunakan 50.000 warung di Jawa Barat hingga akhir 2021. Aplikasi tersebut sudah dapat diunduh melalui toko aplikasi di ponsel Android.
""",
    ),
    dict(
        site="kabarharian",
        date="2024-06-19",
        time="09:15",
        section="internasional",
        slug="putin-tiba-di-pyongyang-kunjungan-pertama-dalam-24-tahun",
        title="Putin Tiba di Pyongyang, Kunjungan Pertama dalam 24 Tahun",
        author="Bagus Prasetyo",
        tags=["Vladimir Putin", "Kim Jong Un", "Pyongyang", "Rusia"],
        body="""
SEOUL, KABARHARIAN.CO.ID - Presiden Rusia Vladimir Putin tiba di Pyongyang, Korea Utara, pada Rabu (19/6/2024) dini hari waktu setempat. Ini merupakan kunjungan pertama Putin ke Korea Utara dalam 24 tahun, sejak lawatannya pada tahun 2000.

Pemimpin Korea Utara Kim Jong Un menyambut langsung Putin di bandara. Keduanya berjabat tangan dan berpelukan sebelum berangkat bersama dalam satu iring-iringan kendaraan menuju wisma tamu negara, menurut media pemerintah Korea Utara.

Rombongan Putin antara lain Menteri Luar Negeri Sergei Lavrov, Menteri Pertahanan Andrei Belousov, serta sejumlah pejabat yang membidangi energi dan transportasi. Lavrov pernah mengunjungi Pyongyang pada Oktober tahun lalu untuk mempersiapkan lawatan ini.

>> Kim Jong Un dan Putin Bertemu di Kosmodrom Vostochny

Dalam artikel yang dimuat surat kabar resmi Korea Utara menjelang kedatangannya, Putin memuji dukungan Pyongyang terhadap operasi militer Rusia di Ukraina. Ia juga menyatakan kedua negara akan mengembangkan mekanisme perdagangan dan pembayaran yang tidak dikendalikan Barat.

Menjelang kedatangan Putin, suasana di pusat kota Pyongyang dilaporkan meriah. Potret besar Putin dan bendera Rusia dipasang di sepanjang jalan utama, sementara warga berlatih untuk upacara penyambutan resmi yang dijadwalkan digelar di Lapangan Kim Il Sung.

Kedua pemimpin dijadwalkan menggelar pembicaraan resmi dan menandatangani sejumlah dokumen kerja sama, termasuk perjanjian kemitraan strategis yang komprehensif. Kremlin menyebut perjanjian itu akan menggantikan dokumen-dokumen dasar hubungan bilateral yang ditandatangani sebelumnya.

Amerika Serikat dan Korea Selatan menyatakan keprihatinan atas kunjungan tersebut. Seorang juru bicara Gedung Putih mengatakan Washington khawatir terhadap semakin dalamnya hubungan kedua negara, yang dinilai dapat berdampak pada keamanan di Semenanjung Korea dan Ukraina.

Seoul dan Washington menuding Pyongyang telah memasok rudal balistik dan jutaan butir peluru artileri kepada Rusia. Moskwa dan Pyongyang membantah tuduhan itu, tetapi berjanji memperluas kerja sama di segala bidang.

Setelah dari Korea Utara, Putin dijadwalkan melanjutkan perjalanan ke Vietnam untuk kunjungan kenegaraan.
""",
    ),
    # ------------------------------------------------------------------ Suara Pagi
    dict(
        site="suarapagi",
        date="2023-07-13",
        time="14:05",
        section="internasional",
        slug="lavrov-hadiri-pertemuan-menlu-asean-rusia-di-jakarta",
        title="Lavrov Hadiri Pertemuan Menlu ASEAN-Rusia di Jakarta",
        author="Andi Saputra",
        tags=["Sergei Lavrov", "ASEAN", "Rusia", "Jakarta"],
        body="""
JAKARTA, SUARAPAGI.COM - Menteri Luar Negeri Rusia Sergei Lavrov menghadiri Pertemuan Menteri Luar Negeri ASEAN-Rusia di Jakarta, Kamis (13/7/2023). Lavrov berada di ibu kota Indonesia untuk rangkaian pertemuan tingkat menteri yang digelar dalam rangka keketuaan Indonesia di ASEAN tahun ini.

Selain forum ASEAN-Rusia, Lavrov juga dijadwalkan mengikuti Pertemuan Menteri Luar Negeri KTT Asia Timur dan Forum Regional ASEAN (ARF). Pertemuan-pertemuan itu berlangsung tertutup bagi media, kecuali sesi pembukaan.

Dalam sesi pembukaan, Lavrov menyatakan Rusia mendukung peran sentral ASEAN dalam arsitektur keamanan kawasan dan ingin memperluas kerja sama di bidang energi, pangan, dan pendidikan.

"Indonesia menyampaikan harapan agar perang di Ukraina dapat segera diakhiri dan menekankan pentingnya penghormatan terhadap hukum internasional serta integritas wilayah," kata juru bicara Kementerian Luar Negeri RI kepada wartawan seusai pertemuan.

>> Menlu AS dan China Dijadwalkan Bertemu di Sela Pertemuan ASEAN

Kehadiran Lavrov dan Menteri Luar Negeri Amerika Serikat Antony Blinken dalam rangkaian pertemuan yang sama menarik perhatian. Keduanya dijadwalkan berada di ruangan yang sama dalam sesi KTT Asia Timur, namun tidak ada rencana pertemuan bilateral di antara mereka.

Di sela pertemuan, Lavrov juga dijadwalkan bertemu dengan diplomat senior China Wang Yi. Isu yang akan dibahas antara lain situasi di Ukraina, kerja sama ekonomi, dan ketegangan di Semenanjung Korea.

Pengamat hubungan internasional, Dimas Aryo Wibowo, menilai Indonesia sebagai tuan rumah berada dalam posisi yang tidak mudah. "ASEAN harus tetap membuka ruang dialog dengan semua mitra, termasuk Rusia, tanpa terlihat mengabaikan pelanggaran terhadap kedaulatan Ukraina," katanya.

Pengamanan di sekitar lokasi pertemuan dan hotel tempat para delegasi menginap diperketat sejak pagi. Ratusan personel gabungan disiagakan, sementara sejumlah ruas jalan di sekitarnya dialihkan sementara selama rangkaian pertemuan berlangsung.

Rusia merupakan mitra dialog ASEAN sejak 1996. Pada 2021, hubungan keduanya ditingkatkan menjadi kemitraan strategis. Rangkaian pertemuan menteri luar negeri ASEAN di Jakarta berlangsung hingga Jumat (14/7/2023).
""",
    ),
    dict(
        site="suarapagi",
        date="2021-01-20",
        time="17:30",
        section="olahraga",
        slug="pssi-resmi-hentikan-liga-1-2020-musim-tanpa-juara",
        title="PSSI Resmi Hentikan Liga 1 2020, Musim Dinyatakan Tanpa Juara",
        author="Galih Pambudi",
        tags=["Liga 1", "PSSI", "Sepak Bola"],
        body="""
JAKARTA, SUARAPAGI.COM - Persatuan Sepak Bola Seluruh Indonesia (PSSI) resmi menghentikan kompetisi Liga 1 dan Liga 2 musim 2020 yang tertunda akibat pandemi Covid-19. Keputusan itu diambil dalam rapat Komite Eksekutif PSSI di Jakarta, Rabu (20/1/2021).

Dengan keputusan tersebut, musim 2020 dinyatakan tanpa juara dan tanpa degradasi. Kompetisi yang baru berjalan tiga pekan sebelum dihentikan pada Maret 2020 itu tidak akan dilanjutkan.

"Kami sudah berupaya maksimal agar kompetisi bisa bergulir kembali, tetapi izin keramaian tidak kunjung didapat karena situasi pandemi yang belum membaik," kata seorang anggota Komite Eksekutif PSSI dalam konferensi pers seusai rapat.

>> Klub Liga 1 Mulai Potong Gaji Pemain, Ini Tanggapan Asosiasi Pesepak Bola

PSSI sebelumnya beberapa kali menjadwalkan ulang kelanjutan kompetisi, terakhir pada Februari 2021. Namun, rencana itu kembali batal setelah kepolisian belum menerbitkan izin penyelenggaraan karena kasus Covid-19 masih tinggi.

Keputusan penghentian kompetisi disambut beragam oleh klub. Sejumlah manajer klub mengaku lega karena mendapat kepastian, sementara yang lain khawatir kondisi keuangan tim semakin terpuruk tanpa pemasukan dari sponsor dan penjualan tiket.

"Pemain kami sudah hampir setahun berlatih tanpa kepastian. Yang penting sekarang adalah musim berikutnya benar-benar bisa dimulai dan ada protokol kesehatan yang jelas," ujar pelatih salah satu klub asal Jawa Tengah.

Penghentian kompetisi juga berdampak pada pemain muda yang tengah menanti kesempatan tampil. Tanpa pertandingan resmi, sejumlah pemain mengaku kesulitan menjaga kebugaran dan kehilangan sumber penghasilan utama. Beberapa di antaranya memilih bermain di turnamen antarkampung agar tetap bertanding.

Asosiasi pesepak bola profesional meminta klub memenuhi kewajiban membayar sisa gaji pemain dan pelatih sesuai kesepakatan yang dibuat saat kompetisi dihentikan sementara tahun lalu. Menurut asosiasi, masih ada klub yang menunggak pembayaran selama beberapa bulan.

PSSI menyatakan tengah menyiapkan kompetisi musim 2021 dengan format yang menyesuaikan kondisi pandemi, termasuk kemungkinan pertandingan tanpa penonton dan sistem gelembung di beberapa kota. Jadwal resmi akan diumumkan setelah berkoordinasi dengan pemerintah dan kepolisian.
""",
    ),
    dict(
        site="suarapagi",
        date="2022-02-11",
        time="13:50",
        section="pendidikan",
        slug="kemendikbudristek-luncurkan-kurikulum-merdeka",
        title="Kemendikbudristek Luncurkan Kurikulum Merdeka, Sekolah Boleh Memilih",
        author="Ratna Sari Dewi",
        tags=["Kurikulum Merdeka", "Pendidikan", "Kemendikbudristek"],
        body="""
JAKARTA, SUARAPAGI.COM - Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi (Kemendikbudristek) resmi meluncurkan Kurikulum Merdeka, Jumat (11/2/2022). Kurikulum baru itu dapat diterapkan secara sukarela oleh satuan pendidikan mulai tahun ajaran 2022/2023.

Kurikulum Merdeka menyederhanakan materi pelajaran agar guru memiliki lebih banyak waktu untuk mendalami konsep-konsep esensial. Kurikulum ini juga memberi keleluasaan bagi guru untuk menyesuaikan pembelajaran dengan kemampuan dan kebutuhan murid.

Salah satu ciri utamanya adalah proyek penguatan profil pelajar Pancasila, yakni pembelajaran berbasis proyek yang mengambil sekitar 20 hingga 30 persen jam pelajaran. Murid diajak menggarap tema-tema seperti kewirausahaan, gaya hidup berkelanjutan, dan kearifan lokal.

>> Asesmen Nasional Gantikan Ujian Nasional, Apa Bedanya?

Pada jenjang SMA, penjurusan IPA, IPS, dan Bahasa tidak lagi diberlakukan di kelas XI. Murid dapat memilih mata pelajaran sesuai minat, bakat, dan rencana studi lanjutan mereka.

Pemerintah menegaskan sekolah tidak diwajibkan langsung beralih. Sekolah dapat tetap menggunakan Kurikulum 2013 atau kurikulum darurat yang disederhanakan hingga kebijakan kurikulum nasional dievaluasi pada 2024.

Kepala sebuah SMP negeri di Depok, Sugeng Riyadi, menyambut baik keleluasaan tersebut, namun mengingatkan pentingnya pelatihan guru. "Guru perlu didampingi. Mengubah cara mengajar tidak bisa hanya lewat surat edaran," ujarnya.

Kemendikbudristek menyatakan telah menyiapkan platform daring berisi contoh perangkat ajar, modul, dan materi pelatihan mandiri bagi guru. Sebelum diluncurkan secara luas, kurikulum ini telah diuji coba di ribuan sekolah penggerak sejak tahun ajaran 2021/2022.

Bagi murid, perubahan ini diharapkan membuat pembelajaran lebih bermakna dan tidak sekadar mengejar ketuntasan materi. Guru juga didorong melakukan asesmen di awal pembelajaran untuk mengetahui kemampuan setiap murid sebelum menentukan metode mengajar yang sesuai.

Seorang orang tua murid di Bekasi, Yuniarti (41), mengaku masih bingung dengan istilah-istilah baru dalam kurikulum tersebut. "Kami berharap sekolah mengadakan pertemuan dengan orang tua supaya kami bisa ikut mendampingi anak belajar di rumah," ujarnya.

Pengamat pendidikan mengingatkan perubahan kurikulum perlu diikuti pemerataan fasilitas, terutama di daerah terpencil yang masih kekurangan guru dan akses internet.
""",
    ),
    dict(
        site="suarapagi",
        date="2024-02-26",
        time="09:40",
        section="ekonomi",
        slug="harga-beras-premium-tembus-rp-16000-per-kilogram",
        title="Harga Beras Premium Tembus Rp 16.000 per Kilogram di Pasar Tradisional",
        author="Andi Saputra",
        tags=["Harga Beras", "Bulog", "Inflasi"],
        body="""
JAKARTA, SUARAPAGI.COM - Harga beras di sejumlah pasar tradisional di Jakarta terus merangkak naik. Pantauan Suara Pagi di Pasar Induk Beras Cipinang, Senin (26/2/2024), menunjukkan harga beras premium di tingkat pengecer menembus Rp 16.000 per kilogram, sementara beras medium dijual sekitar Rp 14.000 per kilogram.

Pedagang menyebut kenaikan harga sudah terjadi sejak awal tahun dan makin terasa dalam dua pekan terakhir. Pasokan dari sentra produksi di Jawa Barat dan Jawa Tengah berkurang karena panen raya mundur.

"Biasanya Februari sudah mulai ada panen, sekarang belum. Barang yang datang sedikit, jadi harga dari penggilingan juga naik," kata Amir, pedagang beras yang sudah lebih dari 20 tahun berjualan di Cipinang.

>> Bapanas Minta Warga Tidak Panik dan Memborong Beras

Kementerian Pertanian menyatakan mundurnya musim tanam dipicu fenomena El Nino yang menyebabkan kemarau panjang pada tahun lalu. Panen raya diperkirakan baru berlangsung pada akhir Maret hingga April.

Untuk meredam kenaikan harga, pemerintah melalui Perum Bulog menggelontorkan beras program Stabilisasi Pasokan dan Harga Pangan (SPHP) ke pasar tradisional dan ritel modern. Beras SPHP dijual dengan harga eceran tertinggi yang lebih rendah dari harga pasar.

Di sejumlah ritel modern, konsumen sempat mendapati rak beras kemasan lima kilogram kosong. Beberapa gerai membatasi pembelian maksimal dua kemasan per orang.

Siti Maryam (39), ibu rumah tangga di Jatinegara, mengaku harus mengurangi belanja kebutuhan lain. "Beras tidak bisa diganti. Jadi lauknya yang dikurangi," ujarnya.

Kenaikan harga juga dikeluhkan pedagang makanan. Pemilik warung nasi di kawasan Rawamangun mengatakan terpaksa mengurangi porsi nasi atau menaikkan harga jual agar usahanya tetap bertahan. "Pelanggan sudah mengerti, tapi tetap saja ada yang protes," katanya.

Ekonom pertanian menilai pemerintah perlu memperkuat cadangan beras dan memperbaiki data produksi agar kebijakan impor tidak terlambat. Kenaikan harga beras juga berpotensi mendorong inflasi pangan menjelang Ramadhan.
""",
    ),
    dict(
        site="suarapagi",
        date="2019-08-26",
        time="15:45",
        section="nasional",
        slug="jokowi-umumkan-ibu-kota-baru-di-kalimantan-timur",
        title="Jokowi Umumkan Ibu Kota Baru di Kalimantan Timur",
        author="Galih Pambudi",
        tags=["Ibu Kota Baru", "Kalimantan Timur", "Joko Widodo"],
        body="""
JAKARTA, SUARAPAGI.COM - Presiden Joko Widodo mengumumkan lokasi ibu kota negara yang baru berada di Provinsi Kalimantan Timur. Pengumuman itu disampaikan dalam konferensi pers di Istana Negara, Jakarta, Senin (26/8/2019).

Menurut Presiden, lokasi yang dipilih berada di sebagian wilayah Kabupaten Penajam Paser Utara dan sebagian Kabupaten Kutai Kartanegara. Kawasan itu dinilai memiliki risiko bencana yang minim serta berada di tengah-tengah wilayah Indonesia.

Pemerintah menyebut beban Jakarta sudah terlalu berat sebagai pusat pemerintahan sekaligus pusat bisnis, keuangan, perdagangan, dan jasa. Kemacetan, banjir, penurunan tanah, dan krisis air bersih menjadi persoalan yang terus membayangi ibu kota.

>> Penurunan Tanah Ancam Jakarta Utara, Ini Kata Peneliti

Kebutuhan biaya pembangunan ibu kota baru diperkirakan mencapai Rp 466 triliun. Pemerintah menyatakan hanya sebagian kecil dari dana tersebut yang akan berasal dari APBN, sedangkan sisanya diharapkan dari skema kerja sama dengan badan usaha dan investasi swasta.

Rencana pemindahan ibu kota akan dituangkan dalam rancangan undang-undang yang diajukan ke Dewan Perwakilan Rakyat. Pembangunan tahap awal ditargetkan dimulai tahun depan, dengan pemindahan bertahap aparatur sipil negara dalam beberapa tahun berikutnya.

Pemerintah daerah Kalimantan Timur menyambut gembira keputusan tersebut dan menyatakan siap menyediakan lahan. Di sisi lain, sejumlah organisasi lingkungan mengingatkan pembangunan ibu kota berpotensi mengancam hutan dan habitat satwa seperti orangutan dan bekantan.

"Kami meminta kajian lingkungan hidup strategis dibuka kepada publik sebelum pembangunan dimulai," kata Yuliana Tambunan, aktivis lingkungan di Balikpapan.

Kalangan pengusaha properti dan konstruksi menyambut rencana tersebut sebagai peluang baru. Namun, sejumlah ekonom mengingatkan pemerintah agar tidak membebani anggaran negara di tengah kebutuhan belanja untuk pendidikan, kesehatan, dan infrastruktur dasar di daerah lain.

Gagasan memindahkan ibu kota dari Jakarta bukan hal baru. Wacana serupa pernah dilontarkan sejak era Presiden Soekarno, yang saat itu melirik Palangkaraya di Kalimantan Tengah.
""",
    ),
]
