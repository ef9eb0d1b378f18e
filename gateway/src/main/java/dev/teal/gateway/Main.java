package dev.teal.gateway;

public final class Main {
    public static void main(String[] args) {
        System.out.println("teal");
    }
}
