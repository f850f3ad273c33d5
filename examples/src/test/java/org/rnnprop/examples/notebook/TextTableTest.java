package org.rnnprop.examples.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void namesAlignLeftAndNumbersRight() {
        TextTable t = new TextTable("optimizer", "loss").row("Adam 1e-3", "0.5").row("RNNprop", "12.25");
        assertEquals("""
                optimizer   loss
                ---------  -----
                Adam 1e-3    0.5
                RNNprop    12.25
                """, t.toString());
        assertEquals(2, t.size());
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsRefused() {
        TextTable t = new TextTable("a", "b");
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
        assertThrows(IllegalArgumentException.class, TextTable::new);
    }
}
