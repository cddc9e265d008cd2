import type { Random } from './random';

/**
 * Plausible names for synthetic people: German first names by birth cohort (the popular names of
 * each era), frequent northern German surnames, and names of the nationalities that live in the
 * county. Invented combinations of common names — no real person is meant.
 */
/** A word list written as one comma-separated line (keeps data tables compact). */
const list = (text: string): readonly string[] => text.split(', ');

type Sex = 'm' | 'f' | 'd' | 'x';

interface Cohort {
  until: number; // last birth year of the cohort
  f: readonly string[];
  m: readonly string[];
}

const GERMAN_COHORTS: readonly Cohort[] = [
  {
    until: 1939,
    f: list(
      'Gertrud, Ilse, Erna, Hildegard, Irmgard, Elfriede, Margarete, Anneliese, Charlotte, Gerda, Käthe, Helga, Ursula, Lieselotte, Edith, Herta, Elisabeth, Marianne, Inge, Waltraud',
    ),
    m: list(
      'Heinz, Werner, Günter, Gerhard, Walter, Karl, Hans, Helmut, Kurt, Herbert, Horst, Willi, Ernst, Friedrich, Otto, Rudolf, Heinrich, Wilhelm, Erich, Hermann',
    ),
  },
  {
    until: 1954,
    f: list(
      'Ursula, Helga, Karin, Renate, Monika, Ingrid, Christa, Brigitte, Gisela, Marianne, Elke, Heidi, Inge, Erika, Bärbel, Margret, Rosemarie, Hannelore, Sigrid, Doris',
    ),
    m: list(
      'Peter, Klaus, Jürgen, Wolfgang, Manfred, Dieter, Hans-Jürgen, Uwe, Rolf, Bernd, Horst, Gerd, Günther, Detlef, Reinhard, Hartmut, Dietmar, Lothar, Rainer, Heinz',
    ),
  },
  {
    until: 1969,
    f: list(
      'Sabine, Susanne, Petra, Birgit, Gabriele, Andrea, Monika, Karin, Claudia, Martina, Ute, Kerstin, Angelika, Heike, Anke, Silke, Bettina, Christiane, Dagmar, Regina',
    ),
    m: list(
      'Michael, Thomas, Andreas, Frank, Uwe, Ralf, Jörg, Stefan, Holger, Torsten, Matthias, Bernd, Jens, Dirk, Carsten, Olaf, Kai, Rainer, Volker, Norbert',
    ),
  },
  {
    until: 1984,
    f: list(
      'Stefanie, Nicole, Sandra, Anja, Katrin, Tanja, Julia, Melanie, Christina, Nadine, Claudia, Silke, Kerstin, Daniela, Simone, Britta, Maren, Nina, Sonja, Kathrin',
    ),
    m: list(
      'Christian, Sebastian, Markus, Tobias, Sven, Jan, Daniel, Dennis, Marco, Björn, Oliver, Alexander, Tim, Nils, Lars, Timo, Patrick, Florian, Kai, Thorsten',
    ),
  },
  {
    until: 1999,
    f: list(
      'Julia, Lisa, Laura, Sarah, Anna, Katharina, Jennifer, Lena, Vanessa, Jana, Annika, Kristina, Jessica, Christina, Janina, Svenja, Franziska, Hannah, Lea, Sophie',
    ),
    m: list(
      'Jan, Tim, Lukas, Niklas, Philipp, Florian, Kevin, Dennis, Tobias, Marcel, Daniel, Felix, Jonas, Max, Patrick, Fabian, Moritz, Alexander, Sebastian, Marvin',
    ),
  },
  {
    until: 2009,
    f: list(
      'Lea, Hannah, Anna, Lena, Leonie, Lara, Sophie, Marie, Emily, Johanna, Laura, Lisa, Sarah, Mia, Jana, Julia, Amelie, Luisa, Maja, Paula',
    ),
    m: list(
      'Lukas, Jonas, Leon, Finn, Luca, Niklas, Tim, Jan, Ben, Paul, Noah, Felix, Elias, Max, Moritz, Julian, Tom, Jannik, Nils, Hendrik',
    ),
  },
  {
    until: 9999,
    f: list(
      'Mia, Emma, Hannah, Sofia, Emilia, Lina, Mila, Ella, Clara, Lea, Marie, Leni, Ida, Frieda, Lotta, Greta, Mathilda, Leonie, Amelie, Johanna',
    ),
    m: list(
      'Ben, Paul, Noah, Finn, Leon, Elias, Henry, Luis, Felix, Jonas, Emil, Theo, Matteo, Anton, Jakob, Mats, Ole, Hannes, Linus, Milan',
    ),
  },
];

const GERMAN_SURNAMES: readonly string[] = list(
  'Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Koch, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Braun, Zimmermann, Hartmann, Krüger, Werner, Lange, Meier, Krause, Lehmann, Köhler, Walter, König, Schulze, Fuchs, Kaiser, Peters, Scholz, Jung, Möller, Hahn, Vogel, Schubert, Roth, Frank, Friedrich, Beck, Günther, Berger, Lorenz, Baumann, Schuster, Böhm, Simon, Franke, Albrecht, Winter, Ludwig, Martin, Krämer, Schumacher, Vogt, Jäger, Stein, Otto, Sommer, Heinrich, Seidel, Brandt, Kuhn, Schulte, Dietrich, Engel, Pohl, Horn, Arnold, Bergmann, Busch, Voigt, Lindner, Ernst, Hübner, Kramer, Beyer, Wolff, Jansen, Paulsen, Hansen, Petersen, Jensen, Nielsen, Carstens, Hinrichs, Ehlers, Rohde, Kröger, Timm, Harms, Rathje, Claußen, Dreyer, Wulf, Witt, Stüben, Schlüter, Gerdes, Thiessen, Lüders, Jacobsen, Asmussen, Sievers, Bruhn, Janßen, Ohlsen, Reimers, Steffens, Tiedemann, Lohse, Kock, Heitmann, Holst, Ramm, Mohr, Evers, Struve, Wiese, Rehder, Voß, Mahler, Behrens, Kühl',
);

interface NameGroup {
  f: readonly string[];
  m: readonly string[];
  surnames: readonly string[];
  /** Surnames whose female form differs (Polish -ski/-ska, Russian/Bulgarian -ov/-ova). */
  feminine?: (surname: string) => string;
}

const slavicFeminine = (s: string): string =>
  s.endsWith('ski')
    ? `${s.slice(0, -1)}a`
    : s.endsWith('cki')
      ? `${s.slice(0, -1)}a`
      : /(ov|ev|in)$/.test(s)
        ? `${s}a`
        : s;

const ARABIC: NameGroup = {
  f: list('Fatima, Aisha, Mariam, Noor, Hiba, Rana, Lina, Zainab, Amina, Yasmin, Rasha, Huda'),
  m: list('Mohammad, Ahmad, Ali, Omar, Mahmoud, Khaled, Hassan, Hussein, Yousef, Abdullah, Mustafa, Ibrahim'),
  surnames: list(
    'Al-Ahmad, Haddad, Khalil, Hamdan, Al-Hussein, Ibrahim, Sulaiman, Darwish, Nasser, Saleh, Mansour, Youssef, Al-Jabouri, Abbas, Kareem, Jasim',
  ),
};

const NAME_GROUPS: Record<string, NameGroup> = {
  TR: {
    f: list('Ayşe, Fatma, Emine, Hatice, Zeynep, Elif, Meryem, Esra, Büşra, Derya, Songül, Aylin'),
    m: list('Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, Murat, Emre, Yusuf, Kemal, Serkan'),
    surnames: list(
      'Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, Özdemir, Arslan, Doğan, Kılıç, Aslan, Çetin, Kara, Koç, Kurt, Özkan, Şimşek',
    ),
  },
  PL: {
    f: list('Anna, Katarzyna, Małgorzata, Agnieszka, Joanna, Barbara, Ewa, Magdalena, Monika, Aleksandra'),
    m: list('Piotr, Krzysztof, Andrzej, Tomasz, Paweł, Michał, Marcin, Jakub, Łukasz, Grzegorz'),
    surnames: list(
      'Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński, Szymański, Woźniak, Dąbrowski, Mazur',
    ),
    feminine: slavicFeminine,
  },
  RO: {
    f: list('Maria, Elena, Ioana, Andreea, Mihaela, Ana, Cristina, Gabriela'),
    m: list('Ion, Andrei, Alexandru, Mihai, Gheorghe, Constantin, Florin, Adrian'),
    surnames: list('Popescu, Popa, Ionescu, Pop, Radu, Dumitru, Stan, Stoica, Gheorghe, Matei, Ciobanu, Rusu'),
  },
  UA: {
    f: list('Olena, Tetiana, Nataliia, Iryna, Oksana, Yuliia, Anastasiia, Kateryna, Svitlana, Mariia'),
    m: list('Oleksandr, Serhii, Andrii, Volodymyr, Dmytro, Mykola, Ivan, Yurii, Maksym, Vasyl'),
    surnames: list(
      'Melnyk, Shevchenko, Kovalenko, Bondarenko, Tkachenko, Kravchenko, Boiko, Oliinyk, Shevchuk, Koval, Polishchuk, Lysenko',
    ),
  },
  IT: {
    f: list('Giulia, Francesca, Chiara, Sara, Maria, Anna, Valentina, Alessia'),
    m: list('Marco, Giuseppe, Antonio, Luca, Francesco, Alessandro, Andrea, Giovanni'),
    surnames: list('Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco'),
  },
  GR: {
    f: list('Maria, Eleni, Aikaterini, Vasiliki, Sofia, Georgia'),
    m: list('Georgios, Ioannis, Konstantinos, Dimitrios, Nikolaos, Panagiotis'),
    surnames: list('Nikolaidis, Georgiou, Papadakis, Oikonomou, Dimitriou, Vlachos, Karagiannis'),
  },
  YU: {
    f: list('Ana, Ivana, Marija, Jelena, Mirela, Arta, Edona'),
    m: list('Ivan, Marko, Josip, Luka, Nikola, Dragan, Arben, Besnik'),
    surnames: list('Horvat, Kovačević, Babić, Marić, Jurić, Petrović, Nikolić, Jovanović, Krasniqi, Berisha, Hodžić'),
  },
  RU: {
    f: list('Olga, Natalia, Elena, Irina, Svetlana, Tatiana, Desislava, Gergana'),
    m: list('Alexander, Sergej, Dmitri, Andrej, Vladimir, Nikolai, Georgi, Dimitar'),
    surnames: list('Ivanov, Smirnov, Kuznetsov, Popov, Petrov, Volkov, Georgiev, Dimitrov, Nikolov'),
    feminine: slavicFeminine,
  },
  AR: ARABIC,
  FA: {
    f: list('Zahra, Fatema, Maryam, Shabnam, Farzana, Mina, Parisa, Nilofar, Sara, Marzia'),
    m: list('Mohammad, Ahmad, Ali, Reza, Mahdi, Hamid, Farid, Jawad, Mostafa, Hossein'),
    surnames: list(
      'Ahmadi, Rahimi, Hakimi, Karimi, Noori, Sultani, Mohammadi, Haidari, Rezaei, Popal, Amiri, Hosseini',
    ),
  },
  EA: {
    f: list('Helen, Senait, Yohana, Selam, Mehret, Saba'),
    m: list('Yonas, Samuel, Mehari, Daniel, Tesfaye, Habtom'),
    surnames: list('Tesfay, Haile, Mehari, Berhane, Gebremedhin, Kidane, Tekle'),
  },
  WE: {
    f: list('Sarah, Emma, Sofia, Laura, Ana, Marie, Charlotte, Ingrid, Sanne, Inês'),
    m: list('David, Daniel, Lucas, Thomas, João, Carlos, James, Pieter, Mads, Pierre'),
    surnames: list('Smith, Jensen, de Vries, Martin, García, Silva, Ferreira, Brown, Bakker, Larsen, Dubois, Santos'),
  },
  AS: {
    f: list('Priya, Anjali, Mai, Linh, Li, Xin, Aiko, Deepa'),
    m: list('Rahul, Arjun, Minh, Tuan, Wei, Jun, Vikram, Hao'),
    surnames: list('Sharma, Patel, Singh, Nguyen, Tran, Pham, Wang, Li, Zhang, Chen'),
  },
};

/** Which name group a nationality draws from. */
const GROUP_OF: Record<string, string> = {
  TR: 'TR',
  PL: 'PL',
  RO: 'RO',
  UA: 'UA',
  IT: 'IT',
  GR: 'GR',
  HR: 'YU',
  RS: 'YU',
  BA: 'YU',
  XK: 'YU',
  MK: 'YU',
  RU: 'RU',
  KZ: 'RU',
  BG: 'RU',
  SY: 'AR',
  IQ: 'AR',
  XX: 'AR',
  LB: 'AR',
  AF: 'FA',
  IR: 'FA',
  ER: 'EA',
  SO: 'EA',
  GB: 'WE',
  US: 'WE',
  NL: 'WE',
  DK: 'WE',
  FR: 'WE',
  ES: 'WE',
  PT: 'WE',
  AT: 'WE',
  SE: 'WE',
  IN: 'AS',
  VN: 'AS',
  CN: 'AS',
};

function cohortOf(birthYear: number): Cohort {
  return GERMAN_COHORTS.find((c) => birthYear <= c.until) ?? GERMAN_COHORTS[GERMAN_COHORTS.length - 1];
}

function groupOf(nationality: string): NameGroup | null {
  const key = GROUP_OF[nationality];
  return key ? NAME_GROUPS[key] : null;
}

/** A first name fitting sex, birth year and nationality (AT/CH and unmapped ones use German names). */
export function firstName(random: Random, sex: Sex, birthYear: number, nationality: string): string {
  const group = nationality === 'DE' ? null : groupOf(nationality);
  // Diverse and not-stated people get a name of either list.
  const female = sex === 'f' || ((sex === 'd' || sex === 'x') && random.chance(0.5));
  if (group) return random.pick(female ? group.f : group.m);
  const cohort = cohortOf(birthYear);
  return random.pick(female ? cohort.f : cohort.m);
}

/** A family name for a household of that nationality (masculine form where forms differ). */
export function familyName(random: Random, nationality: string): string {
  const group = nationality === 'DE' ? null : groupOf(nationality);
  if (!group) {
    // A double-barrelled name now and then.
    const name = random.pick(GERMAN_SURNAMES);
    return random.chance(0.015) ? `${name}-${random.pick(GERMAN_SURNAMES)}` : name;
  }
  return random.pick(group.surnames);
}

/** The form of a family name a person of that sex carries. */
export function surnameFor(familyNameValue: string, sex: Sex, nationality: string): string {
  const group = groupOf(nationality);
  return sex === 'f' && group?.feminine ? group.feminine(familyNameValue) : familyNameValue;
}
