namespace OpenGov.Dialogue.WebUi.Tests;

/// <summary>Citizens' complaints in Indonesian on three clear topics, for the topic groups and segments pages.</summary>
internal static class Complaints
{
    /// <summary>Twelve about broken roads.</summary>
    public static readonly string[] Roads =
    [
        "Jalan di depan pasar rusak dan berlubang, mohon segera diaspal",
        "Lubang di jalan raya membuat motor jatuh, jalan perlu diaspal ulang",
        "Aspal jalan kampung kami rusak berat sejak musim hujan",
        "Jalan menuju sekolah berlubang dan rusak, tolong diperbaiki",
        "Perbaikan jalan rusak di RW 03 belum juga dikerjakan",
        "Jalan berlubang di dekat jembatan sangat berbahaya malam hari",
        "Aspal jalan utama mengelupas, jalan rusak dan berlubang",
        "Mohon perbaikan jalan rusak di gang kami, banyak lubang",
        "Jalan rusak parah di depan puskesmas, ambulans sulit lewat",
        "Jalan desa berlubang, aspal hanya tambal sulam",
        "Lubang besar di jalan dekat pasar belum ditutup",
        "Jalan rusak membuat warga terlambat ke kantor",
    ];

    /// <summary>Twelve about rubbish and floods.</summary>
    public static readonly string[] Rubbish =
    [
        "Sampah menumpuk di pinggir sungai dan bau sekali",
        "Truk sampah tidak datang seminggu, sampah menumpuk di depan rumah",
        "Sungai penuh sampah sehingga banjir setiap hujan deras",
        "Tempat pembuangan sampah sementara penuh dan bau",
        "Warga membuang sampah ke sungai, tolong ada petugas kebersihan",
        "Banjir karena saluran air tersumbat sampah plastik",
        "Jadwal angkut sampah tidak jelas, sampah dibiarkan bau",
        "Saluran air penuh sampah, banjir masuk ke rumah warga",
        "Sampah plastik menyumbat got di depan sekolah",
        "Bau sampah dari tempat pembuangan sampai ke rumah warga",
        "Sampah rumah tangga dibakar di lahan kosong",
        "Petugas sampah jarang datang ke gang kami",
    ];

    /// <summary>Eight about schools.</summary>
    public static readonly string[] Schools =
    [
        "Biaya seragam sekolah terlalu mahal untuk keluarga miskin",
        "Guru honorer di sekolah kami belum menerima gaji",
        "Sekolah dasar kekurangan guru dan buku pelajaran",
        "Beasiswa untuk murid tidak mampu harus diperluas",
        "Ruang kelas sekolah bocor dan murid belajar di lantai",
        "Buku pelajaran murid belum dibagikan oleh sekolah",
        "Guru sering tidak masuk kelas, murid dibiarkan belajar sendiri",
        "Pungutan biaya sekolah untuk murid baru memberatkan orang tua",
    ];
}
