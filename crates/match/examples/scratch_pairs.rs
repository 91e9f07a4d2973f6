use musync_core::Track;
fn main() {
    let pairs: &[(&str, &str, &str, &str)] = &[
        (
            "竹内まりや",
            "PLASTIC LOVE",
            "竹内まりや",
            "プラスティック・ラヴ",
        ),
        (
            "Mariya Takeuchi",
            "Plastic Love",
            "竹内まりや",
            "Plastic Love",
        ),
        ("Donny Benet", "Konichiwa", "Donny Benét", "Konichiwa"),
        (
            "Zombies",
            "Time of the Season",
            "The Zombies",
            "Time Of The Season",
        ),
        ("LOONA", "Butterfly", "LOOΠΔ", "Butterfly"),
        ("E.A.V.", "Ba-Ba-Banküberfall", "EAV", "Ba-Ba-Banküberfall"),
        (
            "Hall & Oates",
            "Rich Girl",
            "Daryl Hall & John Oates",
            "Rich Girl",
        ),
        (
            "Eminem",
            "Love The Way You Lie [feat. Rihanna] [Explicit]",
            "Eminem",
            "Love The Way You Lie (feat. Rihanna)",
        ),
        (
            "Eminem",
            "Love The Way You Lie",
            "Rihanna",
            "Love The Way You Lie (Part II) [feat. Eminem]",
        ),
        (
            "Eminem",
            "Love The Way You Lie (feat. Rihanna)",
            "Eminem, Rihanna",
            "Love The Way You Lie",
        ),
        ("Sigur Rós", "Ljósið", "Sigur Ros", "Ljósið 2015"),
        ("Ólafur Arnalds", "Ljósið", "Olafur Arnalds", "Ljósið"),
        ("宇多田ヒカル", "First Love", "Adele", "First Love"),
        (
            "Gorillaz",
            "Clint Eastwood",
            "Gorillaz",
            "Clint Eastwood - Ed Case/Sweetie Irie Refix",
        ),
        (
            "Michael Jackson",
            "Billie Jean",
            "The Civil Wars",
            "Billie Jean",
        ),
        (
            "Michael Jackson",
            "Billie Jean",
            "Michael Jackson",
            "Billie Jean - Single Version",
        ),
        (
            "Michael Jackson",
            "Billie Jean",
            "Michael Jackson",
            "Billie Jean (2008 with Kanye West)",
        ),
        ("SZA", "Kill Bill", "SZA", "Kill Bill (feat. Doja Cat)"),
        (
            "Future",
            "Mask Off",
            "Future",
            "Mask Off (feat. Kendrick Lamar) [Remix]",
        ),
        (
            "Kanye West",
            "Runaway",
            "Kanye West",
            "Runaway (Video Version)",
        ),
        ("Lorde", "Royals", "Lorde", "Royals (US Version)"),
        (
            "Arctic Monkeys",
            "Do I Wanna Know?",
            "ArcticMonkeysVEVO",
            "Arctic Monkeys - Do I Wanna Know? (Official Video)",
        ),
        (
            "Daft Punk",
            "One More Time",
            "Daft Punk",
            "One More Time (Short Radio Edit)",
        ),
        (
            "The Beatles",
            "Come Together",
            "The Beatles",
            "Come Together - 2019 Mix",
        ),
        (
            "Queen",
            "Bohemian Rhapsody",
            "Queen",
            "Bohemian Rhapsody - Remastered 2011",
        ),
        (
            "Queen",
            "Bohemian Rhapsody",
            "Queen",
            "Bohemian Rhapsody (Live Aid)",
        ),
        (
            "Nirvana",
            "Smells Like Teen Spirit",
            "Nirvana",
            "Smells Like Teen Spirit (Butch Vig Mix)",
        ),
        ("Radiohead", "Creep", "Radiohead", "Creep (Acoustic)"),
        ("Radiohead", "Creep", "Radiohead", "Creep - Very 2021 Rmx"),
        ("ヨルシカ", "思想犯", "Yorushika", "Shisouhan"),
        ("Yorushika", "思想犯", "ヨルシカ", "思想犯"),
        (
            "GorillaT",
            "Tomorrow Comes Today",
            "Gorillaz",
            "Tomorrow Comes Today",
        ),
        (
            "Ludwig van Beethoven",
            "Symphony No. 5 in C Minor, Op. 67: I. Allegro con brio",
            "Ludwig van Beethoven",
            "Symphony No. 5 in C Minor, Op. 67: I. Allegro con brio",
        ),
        ("Beyoncé", "Halo", "Beyoncé", "Halo (Live)"),
        ("Oasis", "Wonderwall", "Oasis", "Wonderwall - Remastered"),
        ("Oasis", "Wonderwall", "Ryan Adams", "Wonderwall"),
        (
            "The Weeknd",
            "Blinding Lights",
            "The Weeknd",
            "Blinding Lights (with ROSALÍA) - Remix",
        ),
        ("Drake", "Hotline Bling", "Drake", "Hotline Bling"),
        (
            "Billie Eilish",
            "bad guy",
            "Billie Eilish, Justin Bieber",
            "bad guy (with Justin Bieber)",
        ),
        (
            "Lil Nas X",
            "Old Town Road",
            "Lil Nas X, Billy Ray Cyrus",
            "Old Town Road (feat. Billy Ray Cyrus) - Remix",
        ),
        ("Post Malone", "Circles", "Post Malone", "Circles"),
        ("Artist", "Song", "", "Song"),
        ("", "Song", "", "Song"),
    ];
    for (a1, t1, a2, t2) in pairs {
        let v = musync_match::compare(&Track::new(*t1, *a1), &Track::new(*t2, *a2));
        println!(
            "{:5} {:.2} {:40} | {} - {}  vs  {} - {}",
            v.same, v.score, v.reason, a1, t1, a2, t2
        );
    }
}
