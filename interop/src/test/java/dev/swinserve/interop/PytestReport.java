package dev.swinserve.interop;

import dev.swinserve.interop.PytestCase.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The cases of a pytest JUnit XML report ({@code --junitxml}, {@code junit_family=xunit1}, whose
 * {@code <testcase>} carries the test's {@code file}). The node id is rebuilt from it: {@code
 * file::[Class::]name}, the module's dotted path dropped from {@code classname}.
 */
final class PytestReport {

  private PytestReport() {}

  static List<PytestCase> read(Path report) throws IOException {
    try (InputStream input = Files.newInputStream(report)) {
      return cases(parser().parse(input).getElementsByTagName("testcase"));
    } catch (SAXException e) {
      throw new IOException("pytest's report " + report + " is not XML: " + e.getMessage(), e);
    }
  }

  private static List<PytestCase> cases(NodeList testcases) {
    List<PytestCase> cases = new ArrayList<>(testcases.getLength());
    for (int i = 0; i < testcases.getLength(); i++) {
      Element testcase = (Element) testcases.item(i);
      cases.add(toCase(testcase));
    }
    return cases;
  }

  private static PytestCase toCase(Element testcase) {
    String nodeId = nodeId(testcase);
    for (Node child = testcase.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (!(child instanceof Element result)) {
        continue;
      }
      Outcome outcome =
          switch (result.getTagName()) {
            case "failure" -> Outcome.FAILED;
            case "error" -> Outcome.ERROR;
            case "skipped" ->
                result.getAttribute("type").equals("pytest.xfail")
                    ? Outcome.XFAIL
                    : Outcome.SKIPPED;
            default -> null; // system-out, system-err, properties
          };
      if (outcome != null) {
        return new PytestCase(
            nodeId, outcome, result.getAttribute("message"), result.getTextContent().strip());
      }
    }
    return new PytestCase(nodeId, Outcome.PASSED, "", "");
  }

  static String nodeId(Element testcase) {
    String name = testcase.getAttribute("name");
    String file = testcase.getAttribute("file");
    String classname = testcase.getAttribute("classname");
    if (classname.isEmpty()) {
      // A module that failed to import: pytest names the case after the module.
      return file.isEmpty() ? name : file;
    }
    String module = file.replaceAll("\\.py$", "").replace('/', '.');
    StringBuilder nodeId = new StringBuilder(file);
    if (classname.startsWith(module + ".")) {
      for (String part : classname.substring(module.length() + 1).split("\\.")) {
        nodeId.append("::").append(part);
      }
    }
    return nodeId.append("::").append(name).toString();
  }

  private static DocumentBuilder parser() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }
}
