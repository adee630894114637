import type { Prng } from './prng';

/**
 * Names for the corpus, per culture, written separately from the detector's gazetteer (the bench
 * prints how many of these given names that gazetteer happens to contain). Family names never
 * come from the detector at all. East Asian cultures are written family name first.
 */
interface Culture {
  readonly given: readonly string[];
  readonly family: readonly string[];
  readonly familyFirst?: boolean;
}
// Whitespace separates names; an underscore stands for a space inside one ("De_Luca").
const split = (s: string): string[] => s.trim().split(/\s+/).map((n) => n.replace(/_/g, ' '));

export const CULTURES: Readonly<Record<string, Culture>> = {
  english: { given: split('Oliver Amelia Jack Isla Harry Ava Charlie Mia Thomas Poppy Alfie Ruby Freddie Evie Arthur Florence Reuben Imogen Toby Harriet Dylan Megan Brandon Tiffany Kyle Courtney'), family: split('Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Fletcher Whitaker Ashworth Pemberton') },
  german: { given: split('Lukas Mia Ben Emma Jonas Hannah Elias Sophie Finn Lina Noah Marie Luis Ella Moritz Clara Henrik Ida Fritz Gisela Detlef Hildegard Rüdiger Waltraud'), family: split('Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Krüger Hartmann Lehmann Köhler Fuchs Vogel') },
  french: { given: split('Gabriel Jade Léo Louise Raphaël Emma Arthur Alice Louis Chloé Lucas Lina Adam Rose Jules Anna Maël Léna Baptiste Ségolène Thibault Apolline Gaspard Bérénice'), family: split('Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Girard Bonnet Lambert Rousseau') },
  spanish: { given: split('Hugo Lucía Martín Sofía Mateo Martina Leo Julia Daniel Paula Alejandro Valeria Pablo Emma Manuel Daniela Álvaro Carla Adrián Noa Íñigo Ximena Rodrigo Maite'), family: split('García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez') },
  italian: { given: split('Leonardo Sofia Francesco Aurora Alessandro Giulia Lorenzo Ginevra Mattia Beatrice Tommaso Alice Gabriele Vittoria Riccardo Ludovica Edoardo Matilde Pietro Camilla Gianmarco Noemi Ottavio Carlotta'), family: split('Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De_Luca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Caruso') },
  dutch: { given: split('Noah Emma Sem Julia Liam Mila Lucas Tess Daan Sophie Finn Zoë Levi Sara Milan Nora Jesse Yara Luuk Fenna Gijs Marieke Hendrik Wouter'), family: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf'] },
  nordic: { given: split('Oskar Alva William Elsa Hugo Astrid Lucas Maja Liam Saga Nils Ebba Axel Wilma Leo Freja Sixten Ylva Torbjörn Solveig'), family: split('Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Lindqvist Hansen Johansen Olsen Virtanen Korhonen') },
  polish: { given: split('Antoni Zuzanna Jan Julia Aleksander Zofia Franciszek Hanna Szymon Maja Filip Lena Kacper Alicja Bartosz Weronika'), family: split('Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski Kozłowski') },
  turkish: { given: split('Yusuf Zeynep Eymen Elif Miraç Defne Ömer Asel Aras Azra Kerem Ecrin Emir Nehir Berat Duru'), family: split('Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin Kara') },
  arabic: { given: split('Mohamed Fatima Ahmed Mariam Youssef Aya Omar Salma Khaled Hana Rami Dalia Bilal Rania Nabil Samira Ziad Lina'), family: split('Haddad Nasser Khoury Mansour Saleh Farouk Hamdan Aziz Rahman Qureshi Al-Sayed El-Amin Bakri Darwish Shami Tahir') },
  indian: { given: split('Aarav Aadhya Vihaan Diya Vivaan Saanvi Reyansh Anika Arnav Ira Sai Myra Krishna Pari Dhruv Avni Kabir Riya'), family: split('Sharma Verma Gupta Patel Reddy Iyer Nair Menon Singh Kumar Chatterjee Banerjee Mukherjee Desai Joshi Kulkarni Rao Pillai') },
  chinese: { given: split('Wei Fang Lei Jing Tao Yan Qiang Min Jie Xiu Hao Ling Bo Yun Peng Lian'), family: split('Wang Li Zhang Liu Chen Yang Huang Zhao Zhou Wu Xu Sun Ma Hu Guo Lin'), familyFirst: true },
  japanese: { given: split('Haruto Himari Sota Yua Yuto Mei Riku Rin Hinata Aoi Takumi Sana Ren Koharu'), family: split('Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada') },
  korean: { given: split('Minjun Seoyeon Seojun Jiwoo Hajun Seoyun Dohyun Haeun Jiho Jiyoo'), family: split('Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim'), familyFirst: true },
  vietnamese: { given: split('Anh Bao Chau Duc Hanh Khanh Linh Minh Ngoc Phuong Quan Thao Trung Vy'), family: split('Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do'), familyFirst: true },
  african: { given: split('Chukwuemeka Adaeze Oluwaseun Funmilayo Kwabena Akosua Tendai Rudo Lwazi Naledi Jabari Zawadi Kagiso Lerato'), family: split('Okafor Adeyemi Mensah Boateng Okonkwo Nwosu Moyo Dlamini Mokoena Khumalo Otieno Mwangi Kariuki Achebe') },
  greek: { given: split('Georgios Eleni Ioannis Maria Konstantinos Aikaterini Dimitrios Vasiliki Nikolaos Sofia'), family: split('Papadopoulos Papadakis Georgiou Nikolaidis Pappas Oikonomou Karagiannis Vlachos') },
  portuguese: { given: split('Miguel Beatriz Rodrigo Leonor Tomás Matilde Duarte Carolina Afonso Inês Enzo Valentina'), family: split('Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Sousa Fernandes Gonçalves Carvalho') },
};
export const CULTURE_NAMES = Object.keys(CULTURES);

/** A full name in the culture's order: sometimes with a middle name or a double family name. */
export function personName(rng: Prng, culture = rng.pick(CULTURE_NAMES)): { name: string; given: string } {
  const c = CULTURES[culture]!;
  const given = rng.pick(c.given);
  let family = rng.pick(c.family);
  if (culture === 'spanish' && rng.chance(0.5)) family = `${family} ${rng.pick(c.family)}`;
  if (c.familyFirst) return { name: `${family} ${given}`, given };
  const middle = rng.chance(0.12) ? ` ${rng.pick(c.given)}` : '';
  return { name: `${given}${middle} ${family}`, given };
}

/** "Mr Smith", "Frau Müller": the family name alone after a title (only the name is labelled). */
export const TITLES: Readonly<Record<string, readonly string[]>> = {
  en: ['Mr', 'Mrs', 'Ms', 'Dr', 'Mr.', 'Dr.'],
  de: ['Herr', 'Frau', 'Dr.'],
  fr: ['M.', 'Mme', 'Madame', 'Monsieur'],
  es: ['Sr.', 'Sra.', 'don', 'doña'],
  it: ['Sig.', 'Sig.ra', 'Dott.', 'signor'],
  nl: ['dhr.', 'mevr.', 'meneer', 'mevrouw'],
};
