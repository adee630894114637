/**
 * Given names from many cultures (and common family names that lead in East Asian order), so
 * that names compromise's English lexicon does not know are still found. Hand-written for the
 * detector; the benchmark corpus draws its names from its own, separately written lists and
 * reports how many of them are in this one.
 */
const GIVEN = `
James John Robert Michael William David Richard Joseph Thomas Charles Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen
Emily Olivia Emma Sophia Charlotte Amelia Oliver Harry George Jack Noah Liam Ethan Daniel Matthew Andrew Laura Rachel Hannah Grace Chloe
Hans Klaus Jürgen Wolfgang Stefan Andreas Michael Uwe Dieter Günter Horst Lukas Leon Felix Maximilian Jonas Paul Finn Anna Lena Leonie Marie
Sabine Petra Ursula Monika Katrin Birgit Heike Anja Julia Lea Johanna Greta Frieda Matthias Tobias Florian Sebastian Katharina Franziska
Jean Pierre Michel Philippe Alain Nicolas François Jacques Louis Hugo Théo Gabriel Arthur Raphaël Antoine Julien Mathieu Camille Chloé Manon
Inès Léa Marion Sophie Isabelle Nathalie Sylvie Céline Aurélie Élodie Amélie Margaux Clément Benoît Étienne Océane Josiane Gaëlle Maëlle
José Antonio Manuel Francisco Juan Javier Carlos Miguel Alejandro Pablo Sergio Jorge Alberto Fernando Diego Álvaro Raúl Iñaki Lucía Carmen
María Isabel Dolores Pilar Teresa Ana Cristina Marta Elena Paula Sofía Alba Nerea Rocío Begoña Ainhoa Montserrat Inmaculada Guadalupe
Giuseppe Giovanni Francesco Marco Alessandro Andrea Luca Matteo Lorenzo Davide Simone Federico Riccardo Stefano Salvatore Vincenzo Giorgio
Giulia Francesca Chiara Sara Martina Alessia Valentina Federica Silvia Elisa Beatrice Aurora Ginevra Alice Rosa Lucia Paola Roberta Gianluca
Jan Piet Kees Henk Willem Joost Bram Daan Sem Thijs Jeroen Ruud Bas Sander Maarten Pieter Anouk Fleur Sanne Lotte Femke Eva Iris Noor Saskia
Ingrid Astrid Sigrid Lars Anders Erik Magnus Nils Björn Gustav Sven Olav Freya Elin Maja Liv Karin Annika Mikael Johan Henrik Mats Tuomas
Piotr Krzysztof Tomasz Paweł Marcin Agnieszka Katarzyna Małgorzata Magdalena Joanna Zofia Wojciech Jakub Mateusz Ewa Dorota Grzegorz
Mehmet Ahmet Mustafa Ali Hüseyin Emre Burak Elif Zeynep Ayşe Fatma Emine Hatice Merve Can Cem Deniz Yusuf Ömer Özlem Gül Selin Kerem
Mohammed Muhammad Ahmed Omar Khalid Hassan Hussein Ibrahim Youssef Karim Tariq Samir Fatima Aisha Layla Nour Yasmin Leila Zainab Mariam Amira
Rahul Amit Priya Anjali Vikram Arjun Sanjay Rajesh Sunita Deepak Neha Pooja Ravi Suresh Lakshmi Aditya Kavya Ananya Rohan Ishaan Meera Shreya
Wei Jing Li Ming Hui Xin Yan Jun Hao Lei Fang Ying Xiaoming Zhiwei Mei Lan Yuki Haruto Yui Sakura Hiroshi Takeshi Kenji Akira Naoko Yoko Aiko
Ji-woo Min-jun Seo-yeon Ji-hoon Hyun Soo-jin Jae Eun Thi Minh Anh Duc Linh Quang Huong Tuan Dung
Olga Irina Natalia Svetlana Tatiana Elena Dmitri Sergei Ivan Alexei Nikolai Vladimir Mikhail Yuri Andrei Oksana Ekaterina Anastasia
Kwame Kofi Ama Chinedu Ngozi Oluwaseun Adebayo Folake Amara Chiamaka Emeka Tunde Zanele Thabo Sipho Nomvula Wanjiru Kamau Amina Abebe
Dimitris Giorgos Nikos Eleni Katerina Maria Sofia Yannis Konstantinos João Pedro Tiago Rui Gonçalo Inês Beatriz Mariana Catarina Thiago Lucas
Sean Siobhan Niamh Aoife Ciarán Patrick Bridget Declan Eoin Róisín Ewan Hamish Fiona Morag Rhys Gareth Sian Cerys Dafydd
`;
const LEADING_FAMILY = `Wang Li Zhang Liu Chen Yang Huang Zhao Zhou Wu Xu Sun Kim Park Lee Choi Jung Kang Cho Yoon Nguyen Tran Le Pham Hoang Phan Vu Dang Bui`;

export const GIVEN_NAMES: ReadonlySet<string> = new Set([...GIVEN.split(/\s+/), ...LEADING_FAMILY.split(/\s+/)].filter(Boolean));

/** Titles that precede a name in the corpus languages (with or without the dot). */
export const HONORIFICS = [
  'Mr', 'Mrs', 'Ms', 'Miss', 'Mx', 'Dr', 'Prof', 'Sir', 'Dame', 'Herr', 'Frau', 'M', 'Mme', 'Mlle', 'Monsieur', 'Madame', 'Sr', 'Sra', 'Srta',
  'Don', 'Doña', 'Señor', 'Señora', 'Sig', 'Sig.ra', 'Signor', 'Signora', 'Dott', 'Dott.ssa', 'Ing', 'Avv', 'Dhr', 'Mevr', 'Mevrouw', 'Meneer',
];

/** Lower-case particles inside family names: "van der Berg", "de la Cruz", "von Trapp", "bin Salman". */
export const NAME_PARTICLES = ['van', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'dos', 'das', 'du', 'des', 'la', 'le', 'von', 'zu', 'ter', 'ten', 'bin', 'ibn', 'al', 'el', 'ben', 'y'];

/**
 * Capitalised words that start or fill a run of capitals without being a name: determiners,
 * pronouns, courtesy words and sentence openers of the six languages, days and months. A run
 * starting with one of them is cut after it ("Die Rechnung", "Dear Anna Weber" → "Anna Weber").
 */
export const NOT_NAME_WORDS: ReadonlySet<string> = new Set(
  `The A An This That These Those My Your Our Their His Her Its Dear Hi Hello Hey Please Thanks Thank Regards Best Kind Yes No Our We You They He She It I
  Der Die Das Den Dem Des Ein Eine Einen Einem Einer Mein Meine Meinen Ihr Ihre Unser Unsere Sehr Liebe Lieber Hallo Bitte Danke Herzliche Grüße Sie Er Es Wir
  Le La Les Un Une Des Du Mon Ma Mes Ton Ta Votre Vos Notre Nos Cher Chère Bonjour Merci Cordialement Il Elle Nous Vous Ils
  El Los Las Una Unos Mi Mis Tu Su Sus Nuestro Estimado Estimada Hola Gracias Saludos Él Ella Nosotros Usted
  Lo Gli Uno Il Mio Mia Miei Tuo Suo Sua Nostro Caro Cara Gentile Ciao Grazie Buongiorno Lei Noi Voi
  Het Een Mijn Jouw Uw Ons Onze Beste Geachte Hoi Hallo Bedankt Groeten Wij Zij Hij
  Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December
  Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Januar Februar März Mai Juni Juli Oktober Dezember
  Order Invoice Version Card Transfer Login Revenue Upgrade Ship Payment Reference Servers Attendees Ticket Account Customer Total`.split(/\s+/),
);
