package dev.teal.controller;

public final class Main {
    public static void main(String[] args) {
        System.out.println("teal-controller");
    }
}
