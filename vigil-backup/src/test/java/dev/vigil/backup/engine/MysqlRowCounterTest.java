package dev.vigil.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MysqlRowCounterTest {

  @Test
  void countsTopLevelTuplesAndPassesBytesThrough() throws Exception {
    String dump = String.join("\n",
        "-- MariaDB dump",
        "/*!40101 SET NAMES utf8mb4 */;",
        "CREATE TABLE `items` (",
        "  `id` int(11) NOT NULL",
        ") ENGINE=InnoDB;",
        "CREATE TABLE `empty``one` (`id` int);",
        "INSERT INTO `items` VALUES (1,'a (b) c',0x00FF),(2,'it\\'s (x',NULL),(3,'back\\\\',(4));",
        "INSERT INTO `items` VALUES (5,'; ) (',1.5);",
        "/*!50001 CREATE TABLE `view_stub` (x int) */;",
        "INSERT INTO `other` VALUES (1),(2);",
        "");
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    MysqlRowCounter counter = new MysqlRowCounter(sink);
    byte[] bytes = dump.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += 7) {
      counter.write(bytes, i, Math.min(7, bytes.length - i));
    }
    assertThat(sink.toByteArray()).isEqualTo(bytes);
    assertThat(counter.counts()).containsEntry("items", 4L).containsEntry("empty`one", 0L).containsEntry("other", 2L)
        .doesNotContainKey("view_stub");
  }
}
