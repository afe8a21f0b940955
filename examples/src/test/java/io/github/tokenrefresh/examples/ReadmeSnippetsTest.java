package io.github.tokenrefresh.examples;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README honest: every Java snippet in it must be an excerpt of the example classes, which the other tests
 * of this module run. Indentation, blank lines and comments aside, the snippet's lines must appear in one source file,
 * in order and without gaps.
 */
class ReadmeSnippetsTest {

    private static final Path DOC = Path.of("..", "README.md");
    private static final Path SOURCES = Path.of("src", "main", "java");

    @Test
    @DisplayName("Every Java snippet of the README is an excerpt of a compiled, tested example class")
    void shouldQuoteOnlyTestedCode() throws IOException {
        List<List<String>> snippets = javaSnippets(Files.readString(DOC, StandardCharsets.UTF_8));
        List<List<String>> sources;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            sources = files.filter(file -> file.toString().endsWith(".java"))
                    .map(ReadmeSnippetsTest::normalizedLines)
                    .collect(Collectors.toList());
        }

        assertThat(snippets).as("the README's Java snippets").hasSizeGreaterThanOrEqualTo(20);
        for (List<String> snippet : snippets) {
            assertThat(sources.stream().anyMatch(source -> Collections.indexOfSubList(source, snippet) >= 0))
                    .as("this snippet is an excerpt of an example class:%n%s", String.join("\n", snippet))
                    .isTrue();
        }
    }

    private static List<List<String>> javaSnippets(String markdown) {
        List<List<String>> snippets = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown.split("\n", -1)) {
            if (current == null && line.strip().equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.strip().equals("```")) {
                snippets.add(current);
                current = null;
            } else if (current != null && isCode(line)) {
                current.add(line.strip());
            }
        }
        return snippets;
    }

    /** Blank lines and comments may differ between a snippet and its source, so they are left out of both. */
    private static boolean isCode(String line) {
        String code = line.strip();
        return !code.isEmpty() && !code.startsWith("/**") && !code.startsWith("*") && !code.startsWith("//");
    }

    private static List<String> normalizedLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(ReadmeSnippetsTest::isCode)
                    .map(String::strip)
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
