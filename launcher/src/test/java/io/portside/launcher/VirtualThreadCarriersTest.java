package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VirtualThreadCarriersTest {

    @Test
    void twiceTheCoresAndAtLeastTwoSpare() {
        assertEquals(3, VirtualThreadCarriers.forCores(1));
        assertEquals(4, VirtualThreadCarriers.forCores(2));
        assertEquals(6, VirtualThreadCarriers.forCores(3));
        assertEquals(16, VirtualThreadCarriers.forCores(8));
    }
}
