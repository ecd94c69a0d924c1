/**
 * Realistic documents for cleaning tests: each paragraph is real English prose long enough
 * to clear the Gopher rules, so a test that expects a rejection proves the filter under test.
 */
export const ENGLISH_PARAGRAPHS = [
  'The river had risen steadily through the night, and by morning the lower fields were under water. Farmers walked along the embankment with their dogs, counting the cattle that had been moved to higher ground the evening before. Nobody in the village could remember a flood like this one, although the oldest residents said that their grandparents had spoken of a winter when the bridge was swept away and the school was closed for a month.',
  'Modern compilers translate source code through several intermediate representations before they emit machine instructions. Each representation makes some optimisations easier: a tree is convenient for type checking, while a graph in static single assignment form makes it simple to find values that are computed twice. The art of compiler design lies in choosing representations that keep every pass small and easy to reason about, so that the whole pipeline stays correct as it grows.',
  'She opened the letter at the kitchen table, where the light from the window was best, and read it twice before she said anything. Her brother had written from the coast to say that the house they had grown up in was finally for sale, and that he thought they should visit it together one last time. The letter was short, but it carried the weight of thirty years of summers, arguments and quiet reconciliations that neither of them had ever put into words.',
  'A good library is more than a collection of books. It is a place where a student can follow a question from one shelf to another, where a retired engineer can read about the history of bridges, and where a child can discover that stories are not only found on screens. Librarians have always known that the arrangement of the shelves shapes the questions people ask, and that the quiet of a reading room is itself a kind of invitation to think.',
];

export const FRENCH_PARAGRAPH =
  "La rivière avait monté toute la nuit, et au matin les champs du bas étaient sous l'eau. Les agriculteurs marchaient le long de la digue avec leurs chiens, comptant les vaches qu'ils avaient déplacées la veille vers les hauteurs. Personne au village ne se souvenait d'une crue pareille, même si les plus anciens racontaient que leurs grands-parents parlaient d'un hiver où le pont avait été emporté et l'école fermée pendant un mois.";

export const HTML_PAGE = `<!doctype html><html><head><title>Library</title><style>body{color:red}</style><script>track()</script></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a> <a href="/contact">Contact</a></nav>
<main><article><h1>Why libraries matter</h1><p>${ENGLISH_PARAGRAPHS[3]}</p></article></main>
<footer>Copyright 2024 Example Library. All rights reserved.</footer></body></html>`;

export const withPii = (text: string): string =>
  `${text} For questions write to jane.doe@example.com or call +1 415 555 0123 before Friday.`;
